//! `cabinet company create`.

use anyhow::{Result, bail};
use cabinet_core::Bin;
use cabinet_core::time::now_ms;
use cabinet_store::{Db, StoreError, companies};

pub async fn company_create(db: &Db, bin: &str, name: &str) -> Result<companies::Company> {
    let Ok(bin) = Bin::parse(bin) else {
        bail!("BIN/IIN must be 12 digits with a valid structure and control digit: {bin:?}");
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        bail!("the company name must be 1 to 200 characters");
    }
    match companies::create(db, &bin, name, now_ms()).await {
        Ok(c) => Ok(c),
        Err(StoreError::Conflict(_)) => bail!("a company with BIN {bin} already exists"),
        Err(e) => Err(e.into()),
    }
}
