-- Who supplies each SKU: where its low-stock messages go (a SKU without one: setting Notifications:SupplierEmail).
CREATE TABLE product_suppliers (
    sku        text        PRIMARY KEY,
    email      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
