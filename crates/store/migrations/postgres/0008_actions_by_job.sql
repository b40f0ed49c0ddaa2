-- The action a job carries out is found by its job: the worker ends it by job id, and a
-- transfer's confirmation key is its job's id (a second click finds the first transfer).
CREATE INDEX actions_job ON actions (job_id);
