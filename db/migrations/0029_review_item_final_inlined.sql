-- review_item_final is summed over every changed item by the review_progress trigger (111k rows at a big launch).
-- Declared IMMUTABLE around a STABLE cast (enum to text), PostgreSQL could not inline it and called it per row
-- (about half a second at 100k items); STABLE lets the planner inline the expression. Still compared as text: see 0024.
CREATE OR REPLACE FUNCTION review_item_final(decision review_decision) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT (decision IS NOT NULL AND decision::text <> 'dont_know')::int $$;
