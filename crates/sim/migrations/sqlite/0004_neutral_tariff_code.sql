-- The white-label demo's catalog names no real operator: the basic tariff's code is 'base'.
UPDATE sim_subscribers SET tariff_code = 'base' WHERE tariff_code = 'kcell';
