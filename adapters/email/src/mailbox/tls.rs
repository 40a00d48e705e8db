//! The TLS client settings of mailbox sessions: the Mozilla roots (webpki-roots, as lettre uses), plus
//! the roots of an optional PEM file for a server with a self-signed or private certificate.

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::path::Path;
use std::sync::Arc;

/// Why the TLS client settings could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    /// The CA file could not be read or holds no usable certificate.
    #[error("CA file {path}: {reason}")]
    CaFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// rustls refused the settings.
    #[error("TLS settings: {0}")]
    Rustls(#[from] rustls::Error),
}

/// Client settings trusting the Mozilla roots and, when given, every certificate in `ca_file`.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, TlsConfigError> {
    let extra = match ca_file {
        Some(path) => {
            let err = |reason: String| TlsConfigError::CaFile { path: path.display().to_string(), reason };
            let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
            let certs = pem_certificates(&bytes).map_err(err)?;
            Some(certs)
        }
        None => None,
    };
    build(extra.unwrap_or_default())
}

/// Client settings trusting the Mozilla roots and the certificates in `pem` (tests, embedded CAs).
pub fn client_config_with_pem(pem: &[u8]) -> Result<Arc<rustls::ClientConfig>, TlsConfigError> {
    let certs =
        pem_certificates(pem).map_err(|reason| TlsConfigError::CaFile { path: "(in memory)".into(), reason })?;
    build(certs)
}

fn pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    if certs.is_empty() {
        return Err("no PEM certificate in it".into());
    }
    Ok(certs)
}

fn build(extra: Vec<CertificateDer<'static>>) -> Result<Arc<rustls::ClientConfig>, TlsConfigError> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for cert in extra {
        roots.add(cert)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mozilla_roots_without_a_file_and_errors_for_bad_files() {
        client_config(None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, b"not a certificate\n").unwrap();
        let e = client_config(Some(&empty)).unwrap_err().to_string();
        assert!(e.contains("no PEM certificate"), "{e}");
        let e = client_config(Some(&dir.path().join("missing.pem"))).unwrap_err().to_string();
        assert!(e.contains("missing.pem"), "{e}");
    }
}
