//! The mock's admin API (`/__mock/…`): tenants, configuration, faults, the journal and counts.
//! Test plumbing, not the SDK.

use serde_json::{Value, json};

/// One tenant of the mock: the scenario's account.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub key_id: String,
    pub key_secret: String,
    pub api_key: String,
}

#[derive(Clone)]
pub struct Mock {
    url: String,
    http: reqwest::Client,
}

fn text(v: &Value, key: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("the mock's answer has no {key}: {v}"))
}

impl Mock {
    pub fn new(url: &str) -> Mock {
        // Whichever of the core and this installs the provider first wins; both pick ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client for the mock's admin API");
        Mock {
            url: url.trim_end_matches('/').to_owned(),
            http,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    async fn send(&self, request: reqwest::RequestBuilder, what: &str) -> Result<Value, String> {
        let response = request.send().await.map_err(|e| format!("{what}: {e}"))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| format!("{what}: the answer is not JSON: {e}"))?;
        if !status.is_success() {
            return Err(format!("{what}: {status} {body}"));
        }
        Ok(body)
    }

    pub async fn create_tenant(&self) -> Result<Tenant, String> {
        let v = self
            .send(
                self.http.post(format!("{}/__mock/tenants", self.url)),
                "creating a tenant",
            )
            .await?;
        Ok(Tenant {
            key_id: text(&v, "key_id")?,
            key_secret: text(&v, "key_secret")?,
            api_key: text(&v, "api_key")?,
        })
    }

    pub async fn configure(&self, key_id: &str, patch: &Value) -> Result<(), String> {
        let url = format!("{}/__mock/tenants/{key_id}/config", self.url);
        self.send(self.http.put(url).json(patch), "configuring the tenant")
            .await
            .map(drop)
    }

    /// Arms a fault script: `script` holds `faults` and/or `random`.
    pub async fn arm(
        &self,
        key_id: &str,
        operation: Option<&str>,
        script: &Value,
    ) -> Result<(), String> {
        let mut body = json!({ "key_id": key_id });
        if let Some(op) = operation {
            body["operation"] = json!(op);
        }
        if let Value::Object(fields) = script {
            for (k, v) in fields {
                if k != "operation" {
                    body[k] = v.clone();
                }
            }
        }
        let url = format!("{}/__mock/faults", self.url);
        self.send(self.http.post(url).json(&body), "arming faults")
            .await
            .map(drop)
    }

    pub async fn journal(&self, key_id: &str) -> Result<Vec<Value>, String> {
        let url = format!("{}/__mock/journal", self.url);
        let v = self
            .send(
                self.http.get(url).query(&[("key_id", key_id)]),
                "reading the journal",
            )
            .await?;
        Ok(v.get("requests")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    pub async fn counts(&self, key_id: &str) -> Result<Value, String> {
        let url = format!("{}/__mock/tenants/{key_id}/counts", self.url);
        self.send(self.http.get(url), "reading the counts").await
    }
}
