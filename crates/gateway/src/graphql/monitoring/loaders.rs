//! Monitoring's batched look-ups: rounds, each report's history, each project's reports.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use crate::error::ApiError;
use crate::graphql::loaders::{Batch, every_key, ids, key, rekey};
use jixiao_store::monitoring::{ReportRecord, ReportReviewRecord, RoundRecord};

key!(RoundKey);
key!(ReportReviewsOf);
key!(ReportsOfProject);

impl Loader<RoundKey> for Batch {
    type Value = RoundRecord;
    type Error = ApiError;
    async fn load(&self, keys: &[RoundKey]) -> Result<HashMap<RoundKey, RoundRecord>, ApiError> {
        Ok(rekey(self.scope.monitoring().rounds_by_ids(&ids(keys, |k| k.0)).await?, RoundKey))
    }
}

impl Loader<ReportReviewsOf> for Batch {
    type Value = Vec<ReportReviewRecord>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[ReportReviewsOf],
    ) -> Result<HashMap<ReportReviewsOf, Vec<ReportReviewRecord>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.monitoring().reviews_of(&ids(keys, |k| k.0)).await?, ReportReviewsOf)))
    }
}

impl Loader<ReportsOfProject> for Batch {
    type Value = Vec<ReportRecord>;
    type Error = ApiError;
    async fn load(&self, keys: &[ReportsOfProject]) -> Result<HashMap<ReportsOfProject, Vec<ReportRecord>>, ApiError> {
        Ok(every_key(
            keys,
            rekey(self.scope.monitoring().reports_of_projects(&ids(keys, |k| k.0)).await?, ReportsOfProject),
        ))
    }
}
