-- Category pages sorted by name (the default order without search text): read in order from the category's range
-- of this index instead of walking the whole catalog's name order and filtering out the other categories.
CREATE INDEX products_category_name ON products (category_slug, name, sku);
