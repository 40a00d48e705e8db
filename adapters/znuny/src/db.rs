//! The two databases Znuny runs on, behind one way of asking: SQL text in, rows of text (or bytes) out.
//!
//! Every query goes by the simple (text) protocol on both, so that each value arrives as the server
//! prints it: numbers and times as text, MySQL's blobs as their bytes. The SQL inlines only integers
//! this crate formats itself, never text from the database, so no parameters are needed.

use crate::error::{Error, Result};
use crate::row::Row;

/// Which server the Znuny database is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PostgreSQL: attachments are base64 text (Znuny's `DirectBlob` off).
    Postgres,
    /// MySQL or MariaDB: attachments are the raw bytes.
    Mysql,
}

enum Backend {
    Pg(tokio_postgres::Client),
    // One connection: the import reads one query at a time.
    My(tokio::sync::Mutex<Option<mysql_async::Conn>>),
}

/// A connection to the Znuny database.
pub(crate) struct Db {
    dialect: Dialect,
    backend: Backend,
}

impl Db {
    /// Connects by the URL's scheme.
    pub(crate) async fn connect(url: &str) -> Result<Db> {
        let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase()).unwrap_or_default();
        match scheme.as_str() {
            "postgres" | "postgresql" => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
                // The connection task ends when the client is dropped; its error, if any, surfaces on
                // the next query.
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                // Times print as `2021-01-27 10:12:34` whatever the server's default style.
                client.batch_execute("SET DateStyle TO ISO").await?;
                Ok(Db { dialect: Dialect::Postgres, backend: Backend::Pg(client) })
            }
            "mysql" | "mariadb" => {
                let url = if scheme == "mariadb" { format!("mysql{}", &url["mariadb".len()..]) } else { url.into() };
                let opts = mysql_async::Opts::from_url(&url)?;
                let conn = mysql_async::Conn::new(opts).await?;
                Ok(Db { dialect: Dialect::Mysql, backend: Backend::My(tokio::sync::Mutex::new(Some(conn))) })
            }
            _ => Err(Error::Url(redact(url))),
        }
    }

    /// The server.
    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// An identifier quoted for the server (`groups` is a reserved word in MySQL 8).
    pub(crate) fn quote(&self, ident: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!("\"{ident}\""),
            Dialect::Mysql => format!("`{ident}`"),
        }
    }

    /// The SQL expression naming the schema (PostgreSQL) or database (MySQL) the tables are in.
    pub(crate) fn current_schema(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => "current_schema()",
            Dialect::Mysql => "DATABASE()",
        }
    }

    /// Runs one query; `what` names it in errors about its values.
    pub(crate) async fn rows(&self, what: &'static str, sql: &str) -> Result<Vec<Row>> {
        match &self.backend {
            Backend::Pg(client) => {
                let mut rows = Vec::new();
                for message in client.simple_query(sql).await? {
                    if let tokio_postgres::SimpleQueryMessage::Row(r) = message {
                        let mut values = Vec::with_capacity(r.len());
                        for i in 0..r.len() {
                            values.push(r.try_get(i)?.map(|s| s.as_bytes().to_vec()));
                        }
                        rows.push(Row::new(what, values));
                    }
                }
                Ok(rows)
            }
            Backend::My(conn) => {
                use mysql_async::prelude::Queryable;
                let mut guard = conn.lock().await;
                let Some(conn) = guard.as_mut() else {
                    return Err(Error::Value { what, message: "the connection is closed".into() });
                };
                let rows: Vec<mysql_async::Row> = conn.query(sql).await?;
                Ok(rows.into_iter().map(|r| Row::new(what, r.unwrap().into_iter().map(my_value).collect())).collect())
            }
        }
    }

    /// Closes the connection politely (MySQL counts aborted connections otherwise).
    pub(crate) async fn close(&self) {
        if let Backend::My(conn) = &self.backend
            && let Some(c) = conn.lock().await.take()
        {
            let _ = c.disconnect().await;
        }
    }
}

/// A MySQL value as text bytes. The text protocol sends everything as bytes; the other forms are
/// for completeness.
fn my_value(v: mysql_async::Value) -> Option<Vec<u8>> {
    use mysql_async::Value;
    match v {
        Value::NULL => None,
        Value::Bytes(b) => Some(b),
        Value::Int(i) => Some(i.to_string().into_bytes()),
        Value::UInt(u) => Some(u.to_string().into_bytes()),
        Value::Float(f) => Some(f.to_string().into_bytes()),
        Value::Double(f) => Some(f.to_string().into_bytes()),
        Value::Date(y, mo, d, h, mi, s, _) => Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}").into_bytes()),
        Value::Time(neg, d, h, mi, s, _) => {
            let sign = if neg { "-" } else { "" };
            Some(format!("{sign}{}:{mi:02}:{s:02}", u64::from(d) * 24 + u64::from(h)).into_bytes())
        }
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact("oracle://znuny:secret@db/znuny"), "oracle://znuny:***@db/znuny");
        assert_eq!(redact("sqlite:///tmp/x"), "sqlite:///tmp/x");
    }
}
