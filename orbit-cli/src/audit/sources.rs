//! Listing what exists: DynamoDB tables and S3 buckets through the AWS SDK for Rust (its
//! standard configuration: environment, profiles, `AWS_ENDPOINT_URL`), MySQL databases through
//! `mysql_async`. One current-thread tokio runtime, for this verb only.

use std::io::IsTerminal;
use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use orbit_engine::id::ResourceKind;

use super::Listing;
use crate::common::Fail;

/// How long to wait for a TCP (and TLS) connection.
const CONNECT: Duration = Duration::from_secs(5);
/// How long one attempt of one request (one page) may take.
const ATTEMPT: Duration = Duration::from_secs(30);
/// How long one request may take over all its retries.
const OPERATION: Duration = Duration::from_secs(90);
/// Attempts per request; throttling and transient errors are retried with exponential backoff.
const ATTEMPTS: u32 = 3;
/// A listing this long shows its progress on a terminal.
const LONG: usize = 1000;

/// Lists every DynamoDB table, S3 bucket and (with `mysql`) MySQL database.
pub fn list(mysql: Option<&str>) -> Result<Vec<Listing>, Fail> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Fail::usage(
                format!("cannot start the I/O runtime: {e}"),
                "check the system's limits",
            )
        })?;
    runtime.block_on(async {
        let config = aws().await?;
        let tables = dynamodb(&config).await?;
        let buckets = s3(&config).await?;
        let databases = match mysql {
            Some(url) => Listing {
                kind: ResourceKind::Mysql,
                names: Some(mysql_databases(url).await?),
                why_not: None,
            },
            None => Listing {
                kind: ResourceKind::Mysql,
                names: None,
                why_not: Some(
                    "no MySQL server given (pass --mysql mysql://USER:PASSWORD@HOST:PORT or set ORBIT_MYSQL_URL)"
                        .into(),
                ),
            },
        };
        Ok(vec![
            Listing {
                kind: ResourceKind::Dynamodb,
                names: Some(tables),
                why_not: None,
            },
            Listing {
                kind: ResourceKind::S3,
                names: Some(buckets),
                why_not: None,
            },
            databases,
        ])
    })
}

/// The SDK's configuration, with credentials resolved once so that their absence is reported
/// before any request.
async fn aws() -> Result<SdkConfig, Fail> {
    let region = RegionProviderChain::default_provider().or_else(Region::new("us-east-1"));
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT)
                .operation_attempt_timeout(ATTEMPT)
                .operation_timeout(OPERATION)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(ATTEMPTS))
        .load()
        .await;
    let tried = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the profile of AWS_PROFILE (or `default`) in ~/.aws/config and ~/.aws/credentials, web identity, the container and the EC2 instance metadata";
    let help = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE to a profile of ~/.aws/config";
    let Some(provider) = config.credentials_provider() else {
        return Err(Fail::usage(
            format!("no AWS credentials: tried {tried}"),
            help,
        ));
    };
    if let Err(e) = provider.provide_credentials().await {
        return Err(Fail::usage(
            format!("no AWS credentials: tried {tried} ({})", chain(&e)),
            help,
        ));
    }
    Ok(config)
}

/// An error and its sources, each said once: `dispatch failure: io error: … refused`.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// Where requests go, for messages: `AWS_ENDPOINT_URL` or the region's AWS endpoint.
fn endpoint(config: &SdkConfig, service: &str) -> String {
    match config.endpoint_url() {
        Some(url) => format!("{url} (AWS_ENDPOINT_URL)"),
        None => format!(
            "the {service} endpoint of region {} (AWS_REGION)",
            config.region().map_or("us-east-1", |r| r.as_ref())
        ),
    }
}

/// Turns an SDK error into an exit-2 failure that says what was tried and what to set.
fn failure<E>(config: &SdkConfig, service: &str, op: &str, e: &SdkError<E>) -> Fail
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let at = endpoint(config, service);
    let detail = chain(e);
    match e {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Fail::usage(
            format!("cannot reach {service} at {at}: {op} failed after {ATTEMPTS} attempts: {detail}"),
            "check the network, or set AWS_ENDPOINT_URL to the endpoint to use (unset for AWS itself) and AWS_REGION to the environment's region",
        ),
        _ => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let what = match (e.code(), e.message(), status) {
                (Some(c), Some(m), _) => format!("{c}: {m}"),
                (Some(c), None, _) => c.to_string(),
                (None, _, Some(s)) => format!("HTTP status {s}"),
                (None, _, None) => detail,
            };
            let refused = matches!(status, Some(401 | 403))
                || matches!(
                    e.code(),
                    Some(
                        "UnrecognizedClientException"
                            | "InvalidClientTokenId"
                            | "InvalidAccessKeyId"
                            | "SignatureDoesNotMatch"
                            | "InvalidSignatureException"
                            | "ExpiredToken"
                            | "ExpiredTokenException"
                            | "AccessDenied"
                            | "AccessDeniedException"
                            | "MissingAuthenticationToken"
                    )
                );
            if refused {
                Fail::usage(
                    format!("{service} at {at} refused the credentials for {op}: {what}"),
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) or AWS_PROFILE to credentials of the environment's account that may list tables and buckets",
                )
            } else {
                Fail::usage(
                    format!("{service} at {at}: {op} failed: {what}"),
                    "check AWS_ENDPOINT_URL, AWS_REGION and the credentials' permissions",
                )
            }
        }
    }
}

/// Shows `n` names listed so far on stderr, when it is a terminal and the listing is long.
struct Progress {
    what: &'static str,
    shown: bool,
    terminal: bool,
}

impl Progress {
    fn new(what: &'static str) -> Self {
        Progress {
            what,
            shown: false,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, n: usize) {
        if self.terminal && n >= LONG {
            errln_progress(self.what, n);
            self.shown = true;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            err!("\r\x1b[2K");
        }
    }
}

fn errln_progress(what: &str, n: usize) {
    err!("\rlisting {what}: {n}…");
}

async fn dynamodb(config: &SdkConfig) -> Result<Vec<String>, Fail> {
    let client = aws_sdk_dynamodb::Client::new(config);
    let mut names = Vec::new();
    let mut progress = Progress::new("DynamoDB tables");
    let mut pages = client.list_tables().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| failure(config, "DynamoDB", "ListTables", &e))?;
        names.extend(page.table_names().iter().cloned());
        progress.update(names.len());
    }
    Ok(names)
}

async fn s3(config: &SdkConfig) -> Result<Vec<String>, Fail> {
    let mut b = aws_sdk_s3::config::Builder::from(config);
    if config.endpoint_url().is_some() {
        // Emulators (moto, MinIO, LocalStack) serve buckets by path, not by host name.
        b = b.force_path_style(true);
    }
    let client = aws_sdk_s3::Client::from_conf(b.build());
    let mut names = Vec::new();
    let mut progress = Progress::new("S3 buckets");
    let mut pages = client.list_buckets().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| failure(config, "S3", "ListBuckets", &e))?;
        names.extend(
            page.buckets()
                .iter()
                .filter_map(|b| b.name().map(str::to_string)),
        );
        progress.update(names.len());
    }
    Ok(names)
}

/// `url` with its password (if any) replaced by `***`: the only form of it ever shown.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(a URL that is not of the form mysql://USER:PASSWORD@HOST:PORT)".into();
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => format!("{scheme}://{userinfo}@{host}{path}"),
        },
        None => format!("{scheme}://{authority}{path}"),
    }
}

/// The password of a URL, to scrub it from any message a library makes.
fn password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    let pw = userinfo.split_once(':')?.1;
    (!pw.is_empty()).then(|| pw.to_string())
}

async fn mysql_databases(url: &str) -> Result<Vec<String>, Fail> {
    use mysql_async::prelude::Queryable;
    let shown = redact(url);
    let pw = password(url);
    let scrub = |s: String| match &pw {
        Some(p) => s.replace(p.as_str(), "***"),
        None => s,
    };
    let opts = mysql_async::Opts::from_url(url).map_err(|e| {
        Fail::usage(
            scrub(format!("the MySQL URL {shown} is not valid: {e}")),
            "give --mysql (or ORBIT_MYSQL_URL) as mysql://USER:PASSWORD@HOST:PORT",
        )
    })?;
    let unreachable = |why: String| {
        Fail::usage(
            scrub(format!("cannot reach the MySQL server at {shown}: {why}")),
            "start the server, or set --mysql (or ORBIT_MYSQL_URL) to mysql://USER:PASSWORD@HOST:PORT of the environment's server",
        )
    };
    let conn = match tokio::time::timeout(CONNECT * 2, mysql_async::Conn::new(opts)).await {
        Err(_) => {
            return Err(unreachable(format!(
                "no connection within {} seconds",
                (CONNECT * 2).as_secs()
            )))
        }
        Ok(Err(mysql_async::Error::Server(e))) if matches!(e.code, 1044 | 1045 | 1698) => {
            return Err(Fail::usage(
                scrub(format!(
                    "the MySQL server at {shown} refused the login: {} ({})",
                    e.message, e.code
                )),
                "set the user and password in --mysql (or ORBIT_MYSQL_URL) mysql://USER:PASSWORD@HOST:PORT to an account allowed to connect",
            ))
        }
        Ok(Err(e @ (mysql_async::Error::Io(_) | mysql_async::Error::Driver(_)))) => {
            return Err(unreachable(e.to_string()))
        }
        Ok(Err(e)) => {
            return Err(Fail::usage(
                scrub(format!("the MySQL server at {shown}: {e}")),
                "check --mysql (or ORBIT_MYSQL_URL)",
            ))
        }
        Ok(Ok(c)) => c,
    };
    let mut conn = conn;
    let listed = tokio::time::timeout(ATTEMPT, conn.query::<String, _>("SHOW DATABASES")).await;
    let _ = tokio::time::timeout(CONNECT, conn.disconnect()).await;
    match listed {
        Err(_) => Err(unreachable(format!(
            "SHOW DATABASES gave no answer within {} seconds",
            ATTEMPT.as_secs()
        ))),
        Ok(Err(e)) => Err(Fail::usage(
            scrub(format!("SHOW DATABASES failed on {shown}: {e}")),
            "use an account that may list the server's databases",
        )),
        Ok(Ok(names)) => Ok(names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redact("mysql://orbit:s3cret@127.0.0.1:3306/db"),
            "mysql://orbit:***@127.0.0.1:3306/db"
        );
        assert_eq!(redact("mysql://orbit@h:1"), "mysql://orbit@h:1");
        assert_eq!(redact("mysql://a:b:c@h"), "mysql://a:***@h");
        assert!(!redact("s3cret").contains("s3cret"));
        assert_eq!(password("mysql://u:p%40w@h:1").as_deref(), Some("p%40w"));
    }
}
