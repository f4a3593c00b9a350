-- Placeholder on branch settings-live only, so 0012 loads (migrations may
-- not skip a number). Another branch brings the real 0011: drop this file
-- when merging.
SELECT 1;
