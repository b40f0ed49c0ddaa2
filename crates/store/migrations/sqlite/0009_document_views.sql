-- Accounting documents a company has opened (Documents and reports → acts): the list shows
-- each as Viewed from the first download on, as the operator's portal does.
CREATE TABLE document_views (
    company_id      TEXT NOT NULL,
    document_no     TEXT NOT NULL,
    first_viewed_ms BIGINT NOT NULL,
    PRIMARY KEY (company_id, document_no)
);
