//! What every generated resource method does: call the core with the operation's parameters and
//! decode the result into the binding's records. No HTTP policy lives here: encoding, headers,
//! idempotency, retries and the deadline are the core's `Client::call`.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::NixflexError;
use crate::meta::ResponseRecorder;
use crate::pager::PagerCore;
use crate::runtime::run;

/// A client with the request options of one resource handle.
#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) client: nixflex::Client,
    pub(crate) options: nixflex::RequestOptions,
    /// Where the metadata of each response goes, when the caller asked for it.
    pub(crate) recorder: Option<Arc<ResponseRecorder>>,
}

/// One page of a list, whatever the wire shape.
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) count: Option<u64>,
    pub(crate) limit: Option<u64>,
    pub(crate) offset: Option<u64>,
}

/// The parameters of a call to `op`; the test hook of `diagnostics` can panic here, on the
/// path of every typed operation.
fn params<B>(op: &str, build: B) -> Result<nixflex::CallParams, NixflexError>
where
    B: FnOnce() -> Result<nixflex::CallParams, NixflexError>,
{
    crate::diagnostics::panic_if_armed(op);
    build()
}

pub(crate) fn operation(id: &str) -> Result<&'static nixflex::Operation, NixflexError> {
    nixflex::operation(id)
        .ok_or_else(|| NixflexError::internal(format!("the core does not know operation {id}")))
}

impl Api {
    pub(crate) fn new(client: nixflex::Client) -> Api {
        Api {
            client,
            options: nixflex::RequestOptions::default(),
            recorder: None,
        }
    }

    /// The same client with other request options.
    pub(crate) fn with_options(&self, options: nixflex::RequestOptions) -> Api {
        Api {
            options,
            ..self.clone()
        }
    }

    /// The same client, recording the metadata of each response into `recorder`.
    pub(crate) fn with_recorder(&self, recorder: Arc<ResponseRecorder>) -> Api {
        Api {
            recorder: Some(recorder),
            ..self.clone()
        }
    }

    fn record(&self, meta: &nixflex::ResponseMeta) {
        if let Some(recorder) = &self.recorder {
            recorder.record(meta);
        }
    }

    /// Calls `op` with the parameters `build` makes and decodes its JSON body into `T`.
    ///
    /// `build` runs inside [`run`] with the call itself, so a panic while encoding the
    /// parameters is caught like one during the request.
    pub(crate) async fn json<T, B>(&self, op: &'static str, build: B) -> Result<T, NixflexError>
    where
        T: DeserializeOwned + Send + 'static,
        B: FnOnce() -> Result<nixflex::CallParams, NixflexError> + Send + 'static,
    {
        let api = self.clone();
        run(async move {
            let params = params(op, build)?;
            let response = api
                .client
                .call(operation(op)?, &params, &api.options)
                .await?;
            let decoded = response.json::<T>()?;
            api.record(decoded.meta());
            Ok(decoded.into_inner())
        })
        .await
    }

    /// Calls the list operation `op` and reads its page, in either list shape, into `P` (the
    /// operation's page record), all inside [`run`].
    pub(crate) async fn list<T, P, B>(
        &self,
        op: &'static str,
        list_key: &'static str,
        build: B,
    ) -> Result<P, NixflexError>
    where
        T: DeserializeOwned + Send + 'static,
        P: From<Page<T>> + Send + 'static,
        B: FnOnce() -> Result<nixflex::CallParams, NixflexError> + Send + 'static,
    {
        let api = self.clone();
        run(async move {
            let params = params(op, build)?;
            let response = api
                .client
                .call(operation(op)?, &params, &api.options)
                .await?;
            let (body, meta) = response.json::<Value>()?.into_parts();
            let page = nixflex::ListPage::parse(body, list_key)
                .and_then(nixflex::ListPage::decode::<T>)
                .map_err(|why| NixflexError::decode(format!("{op}: {why}"), &meta))?;
            api.record(&meta);
            Ok(P::from(Page {
                items: page.items,
                count: page.count,
                limit: page.limit,
                offset: page.offset,
            }))
        })
        .await
    }

    /// A walk over every item of the paginated operation `op`.
    pub(crate) fn pager(
        &self,
        op: &'static str,
        params: nixflex::CallParams,
        page_size: u32,
        max_items: Option<u64>,
    ) -> Result<PagerCore, NixflexError> {
        let walk = nixflex::WalkOptions {
            page_size,
            max_items,
            ..nixflex::WalkOptions::default()
        };
        let paginator = nixflex::Paginator::new(
            self.client.clone(),
            operation(op)?,
            params,
            self.options.clone(),
            walk,
        )?;
        Ok(PagerCore::new(op, paginator))
    }
}
