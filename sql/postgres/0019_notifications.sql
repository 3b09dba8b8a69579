-- The notification service's documents (the design puts them in a document store; here they are JSONB).
-- Templates: one document per (template, channel, version), {subject, body, active}; an admin's change adds a
-- version, and the newest active version of a template and channel is the one sent.
CREATE TABLE notification_templates (
    template   text        NOT NULL,
    channel    text        NOT NULL,
    version    integer     NOT NULL,
    document   jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (template, channel, version)
);

-- The send history: one document per message, {template, templateVersion, channel, address, subject, body, context},
-- keyed by the event and channel it came from (so an event delivered twice is sent once), with how sending went.
CREATE TABLE notifications (
    notification_id text        PRIMARY KEY,
    recipient_id    text        NOT NULL,
    order_id        text,
    document        jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'Pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, created_at DESC);
CREATE INDEX notifications_by_order ON notifications (order_id, created_at DESC) WHERE order_id IS NOT NULL;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'Pending';

-- The built-in channel simulator's outbox: what would have left by e-mail or SMS, once per message.
CREATE TABLE notification_outbox (
    notification_id text        PRIMARY KEY,
    channel         text        NOT NULL,
    address         text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    sent_at         timestamptz NOT NULL DEFAULT now()
);

INSERT INTO notification_templates (template, channel, version, document) VALUES
  ('order-confirmed', 'email', 1, '{"subject": "Your order {{order.number}} is confirmed", "body": "Dear {{customer.name}},\n\nthank you for your order {{order.number}}: {{order.units}} items, {{order.total}} {{order.currency}}. We will let you know when it ships.\n\nFirstViscount", "active": true}'),
  ('order-confirmed', 'sms', 1, '{"subject": "", "body": "FirstViscount: order {{order.number}} confirmed, {{order.total}} {{order.currency}}.", "active": true}'),
  ('order-shipped', 'email', 1, '{"subject": "Your order {{order.number}} is on its way", "body": "Dear {{customer.name}},\n\nyour order {{order.number}} has shipped with {{shipment.carrier}}, tracking number {{shipment.trackingNumber}}.\n\nFirstViscount", "active": true}'),
  ('order-shipped', 'sms', 1, '{"subject": "", "body": "FirstViscount: order {{order.number}} shipped, tracking {{shipment.trackingNumber}}.", "active": true}'),
  ('order-delivered', 'email', 1, '{"subject": "Your order {{order.number}} has arrived", "body": "Dear {{customer.name}},\n\nyour order {{order.number}} was delivered. We hope you enjoy it.\n\nFirstViscount", "active": true}'),
  ('order-delivered', 'sms', 1, '{"subject": "", "body": "FirstViscount: order {{order.number}} delivered.", "active": true}'),
  ('payment-failed', 'email', 1, '{"subject": "We could not take the payment for order {{order.number}}", "body": "Dear {{customer.name}},\n\nyour order {{order.number}} could not be completed: {{order.reason}}. Nothing was charged.\n\nFirstViscount", "active": true}'),
  ('payment-failed', 'sms', 1, '{"subject": "", "body": "FirstViscount: order {{order.number}} failed: {{order.reason}}. Nothing was charged.", "active": true}'),
  ('low-stock', 'email', 1, '{"subject": "Low stock: {{sku}}", "body": "{{sku}} is down to {{available}} (reorder point {{reorderPoint}}). Please send more.\n\nFirstViscount", "active": true}');
