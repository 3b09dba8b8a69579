-- The product catalog. price is the price in effect now (kept by the catalog when prices change);
-- prices keeps every price with the moment it takes effect.
CREATE TABLE categories (
    slug        text PRIMARY KEY,
    name        text NOT NULL,
    parent_slug text REFERENCES categories (slug)
);

CREATE TABLE products (
    sku           text          PRIMARY KEY,
    name          text          NOT NULL,
    description   text          NOT NULL DEFAULT '',
    brand         text          NOT NULL DEFAULT '',
    category_slug text          REFERENCES categories (slug),
    attributes    jsonb         NOT NULL DEFAULT '{}',
    price         numeric(18,2) NOT NULL CHECK (price >= 0),
    currency      char(3)       NOT NULL,
    search        tsvector      GENERATED ALWAYS AS (
                      setweight(to_tsvector('english', name), 'A') ||
                      setweight(to_tsvector('english', brand), 'B') ||
                      setweight(to_tsvector('english', description), 'C')) STORED,
    updated_at    timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX products_search ON products USING GIN (search);
CREATE INDEX products_category_price ON products (category_slug, price);
CREATE INDEX products_price ON products (price);
CREATE INDEX products_name ON products (name);

CREATE TABLE prices (
    sku            text          NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    effective_from timestamptz   NOT NULL,
    amount         numeric(18,2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (sku, effective_from)
);
