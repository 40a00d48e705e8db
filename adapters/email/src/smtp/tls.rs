//! STARTTLS (RFC 3207) for the listener: the certificate and key it offers.
//!
//! Loopback delivery from a local MTA needs no TLS; a listener that other hosts reach should offer it,
//! and may require it before `MAIL`. rustls with the *ring* provider, the one lettre's outbound side
//! already links, so TLS adds no second crypto library.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, crypto::ring};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;
use tokio_rustls::TlsAcceptor;

/// Why the TLS settings could not be loaded.
#[derive(Debug, Error)]
pub enum TlsError {
    /// The certificate file is missing, unreadable or holds no PEM certificate.
    #[error("TLS certificate {path}: {reason}")]
    Certificate {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The key file is missing, unreadable or holds no PEM private key.
    #[error("TLS private key {path}: {reason}")]
    Key {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The key does not fit the certificate, or rustls refused them.
    #[error("TLS certificate and key cannot be used together: {0}")]
    Config(String),
}

/// The certificate chain and key the listener offers after `STARTTLS`. Cheap to clone.
///
/// ```no_run
/// # fn f() -> Result<(), chamado_email::TlsError> {
/// use chamado_email::{SmtpConfig, SmtpTls};
/// let tls = SmtpTls::from_pem_files("/etc/chamado/fullchain.pem", "/etc/chamado/key.pem")?;
/// let config = SmtpConfig { tls: Some(tls), require_tls: true, ..SmtpConfig::default() };
/// # Ok(()) }
/// ```
///
/// Two values are equal when they were loaded from the same files (or the same PEM text).
#[derive(Clone)]
pub struct SmtpTls {
    acceptor: TlsAcceptor,
    /// Where the certificate came from, for `Debug` and equality.
    source: String,
}

impl std::fmt::Debug for SmtpTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTls").field("source", &self.source).finish_non_exhaustive()
    }
}

impl PartialEq for SmtpTls {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for SmtpTls {}

impl SmtpTls {
    /// Loads a PEM certificate chain (leaf first, as in Let's Encrypt's `fullchain.pem`) and a PEM
    /// private key (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem_files(cert: impl AsRef<Path>, key: impl AsRef<Path>) -> Result<SmtpTls, TlsError> {
        let (cert, key) = (cert.as_ref(), key.as_ref());
        let cert_error = |reason: String| TlsError::Certificate { path: cert.to_path_buf(), reason };
        let chain = CertificateDer::pem_file_iter(cert)
            .map_err(|e| cert_error(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| cert_error(e.to_string()))?;
        let key_path = key;
        let key = PrivateKeyDer::from_pem_file(key_path)
            .map_err(|e| TlsError::Key { path: key_path.to_path_buf(), reason: e.to_string() })?;
        let source = format!("{} + {}", cert.display(), key_path.display());
        build(chain, key, source).map_err(|e| match e {
            TlsError::Certificate { reason, .. } => cert_error(reason),
            other => other,
        })
    }

    /// From PEM text already in memory (certificate chain, then private key).
    pub fn from_pem(cert: &[u8], key: &[u8]) -> Result<SmtpTls, TlsError> {
        let memory = || PathBuf::from("(in memory)");
        let chain = CertificateDer::pem_slice_iter(cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TlsError::Certificate { path: memory(), reason: e.to_string() })?;
        let key_der =
            PrivateKeyDer::from_pem_slice(key).map_err(|e| TlsError::Key { path: memory(), reason: e.to_string() })?;
        let source = format!("(in memory, {} + {} bytes)", cert.len(), key.len());
        build(chain, key_der, source).map_err(|e| match e {
            TlsError::Certificate { reason, .. } => TlsError::Certificate { path: memory(), reason },
            other => other,
        })
    }

    pub(super) fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }
}

fn build(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    source: String,
) -> Result<SmtpTls, TlsError> {
    if chain.is_empty() {
        return Err(TlsError::Certificate {
            path: PathBuf::new(),
            reason: "no certificate found (expected a PEM CERTIFICATE block)".into(),
        });
    }
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    Ok(SmtpTls { acceptor: TlsAcceptor::from(Arc::new(config)), source })
}
