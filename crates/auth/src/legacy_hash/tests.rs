//! Vectors made by the Perl modules OTRS and Znuny use themselves (Debian bookworm: perl 5.36,
//! libdigest-sha-perl 6.04, libcrypt-passwdmd5-perl 1.42, libcrypt-eksblowfish-perl 0.009), with the
//! password as UTF-8 octets (no `use utf8`), as Znuny's `EncodeOutput` passes it:
//!
//! ```text
//! perl -MDigest::SHA=sha1_hex,sha256_hex,sha512_hex -E 'say sha256_hex("s3cret pass")'   # and sha1, sha512
//! perl -MCrypt::PasswdMD5=unix_md5_crypt,apache_md5_crypt -E 'say unix_md5_crypt("s3cret pass", "Zq8mRt2w")'
//! perl -MCrypt::PasswdMD5=apache_md5_crypt -E 'say apache_md5_crypt("s3cret pass", "x7Lk9pQa")'
//! perl -MCrypt::Eksblowfish::Bcrypt=bcrypt_hash,en_base64 -E 'say "BCRYPT:4:AbCdEfGhIjKlMnOp:",
//!     en_base64(bcrypt_hash({key_nul => 1, cost => 4, salt => "AbCdEfGhIjKlMnOp"}, "s3cret pass"))'
//! ```
//!
//! `openssl passwd -1 -salt Zq8mRt2w` and `openssl passwd -apr1 -salt x7Lk9pQa` give the same md5-crypt
//! strings.
#![allow(clippy::unwrap_used)]

use super::{LegacyFormat, format, verify};
use proptest::prelude::*;

const PASSWORD: &str = "s3cret pass";
const NON_ASCII: &str = "sénha coração ☃";

/// (format, hash of PASSWORD, hash of NON_ASCII).
const VECTORS: &[(LegacyFormat, &str, &str)] = &[
    (LegacyFormat::Sha1, "a21818805da492032545b1f51e510373394e73e3", "965d9253d51aa78dbfbafde2db2f974cd995c864"),
    (
        LegacyFormat::Sha256,
        "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389",
        "4de48d52f02c064fbff285cd6f3e99e5828dbb4015a2b7068cddb14f953741bd",
    ),
    (
        LegacyFormat::Sha512,
        "883579f028c65d1fdfa1da5ca8cf98aef60be3ab59e0b71cad2f025e76c655921c4c6e72a40cd44c2be737aadbb9bb5dd69f2cce062de263925a58093ea3755b",
        "884d59a008440f04800647893b6519dee88a6d4be3219d726df643397ecdc797d333b6a04409fe3b3d5b3959e64180045da40d8202acf40c57748bd8f5ec427d",
    ),
    (LegacyFormat::Md5Crypt, "$1$Zq8mRt2w$gybYSRTAsj/BSbvInkU5w1", "$1$Zq8mRt2w$a6CwPGotX1shc1F/4Z9sS1"),
    (LegacyFormat::AprMd5Crypt, "$apr1$x7Lk9pQa$ihAM/wHDycoKqHWYuQoiB1", "$apr1$x7Lk9pQa$hwaKUH4CszgROWV6RoYQl1"),
    (
        LegacyFormat::ZnunyBcrypt,
        "BCRYPT:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:4:AbCdEfGhIjKlMnOp:KkQnWmAwUFi3DNfSTdyyjbH7t9JxEIS",
    ),
    // Cost 9: what Znuny writes for agents.
    (
        LegacyFormat::ZnunyBcrypt,
        "BCRYPT:9:k3Jq9ZxWv2LmN8pR:Kyfwl1lkDHETe.1rwCHSZVk23kNYhXi",
        "BCRYPT:9:k3Jq9ZxWv2LmN8pR:NoImFbWLklEdPmaOl46t0vJ3XmA3Kcy",
    ),
];

#[test]
fn every_format_matches_its_password_only() {
    for (fmt, ascii, non_ascii) in VECTORS {
        for (hash, right, other) in [(ascii, PASSWORD, NON_ASCII), (non_ascii, NON_ASCII, PASSWORD)] {
            assert_eq!(format(hash), Some(*fmt), "{hash}");
            assert!(verify(right, hash), "{fmt:?}: {right:?} against {hash}");
            assert!(!verify(other, hash), "{fmt:?}: {other:?} against {hash}");
            assert!(!verify("s3cret pasS", hash), "{fmt:?}: one letter off");
            assert!(!verify(&format!("{right} "), hash), "{fmt:?}: a trailing space");
            assert!(!verify("", hash), "{fmt:?}: an empty password");
        }
    }
}

#[test]
fn hex_digests_match_in_either_case_but_not_truncated() {
    let upper = "099A754C8251FB8A001B6642AFB5259BD2EDB705677B939F6EF4C00CAB1E6389";
    assert!(verify(PASSWORD, upper));
    assert!(!verify(PASSWORD, &upper[..62]));
    assert!(!verify(PASSWORD, &format!("{upper}0")));
}

#[test]
fn bcrypt_keys_are_cut_to_72_octets_with_the_nul() {
    // perl: en_base64(bcrypt_hash({key_nul => 1, cost => 4, salt => "AbCdEfGhIjKlMnOp"}, "a" x 80)), and
    // the same for "a" x 72 and ("a" x 72)."zzz"; "a" x 71 keeps its NUL and differs.
    let long = "BCRYPT:4:AbCdEfGhIjKlMnOp:9ugWi26Z7RHWO83o/.MkhrgJRE1PFai";
    assert!(verify(&"a".repeat(80), long));
    assert!(verify(&"a".repeat(72), long));
    assert!(verify(&format!("{}zzz", "a".repeat(72)), long));
    assert!(!verify(&"a".repeat(71), long));
    assert!(verify(&"a".repeat(71), "BCRYPT:4:AbCdEfGhIjKlMnOp:PHMj6pN1VQyUHnHDVXM1KsBdQD8mkZa"));
}

#[test]
fn bcrypt_costs_read_as_perl_reads_them() {
    // perl: cost => 0 works (one round); "04" is 4 and stays "04" in the string Znuny compares.
    assert!(verify(PASSWORD, "BCRYPT:0:AbCdEfGhIjKlMnOp:wlyOls2YX.OKD6RjaJGGuQrbAtUaPXm"));
    assert!(verify(PASSWORD, "BCRYPT:04:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO"));
    // Crypt::Eksblowfish refuses costs above 31: no match, and no endless hashing.
    assert!(!verify(PASSWORD, "BCRYPT:32:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO"));
    assert!(!verify(PASSWORD, "BCRYPT:4294967300:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO"));
}

#[test]
fn md5_crypt_salts_are_at_most_eight_characters() {
    // perl: unix_md5_crypt("s3cret pass", "ab"); a 12-character salt comes back cut to 8, so a stored
    // string with the long salt never matches in Znuny either.
    assert!(verify(PASSWORD, "$1$ab$M/krbNg6.fp.aGR4zD84.0"));
    assert!(verify(PASSWORD, "$1$abcdefgh$yUi22Wh0AmKpErdRTSZwv1"));
    assert!(!verify(PASSWORD, "$1$abcdefghijkl$yUi22Wh0AmKpErdRTSZwv1"));
    // The other magic string computes another hash.
    assert!(!verify(PASSWORD, "$apr1$Zq8mRt2w$gybYSRTAsj/BSbvInkU5w1"));
}

#[test]
fn unsupported_and_malformed_hashes_never_match() {
    let garbage = [
        "",
        "s3cret pass",
        // Traditional DES crypt of "s3cret pass" with salt "ab" (perl's crypt; 13 characters): unsupported.
        "abTk71qDTQKMY",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$c29tZWhhc2g",
        "$2b$04$AbCdEfGhIjKlMnOpQrStUu",
        "$6$rounds=5000$salt$hash",
        "$1$",
        "$1$$",
        "$1$Zq8mRt2w",
        "$1$Zq8mRt2w$",
        "$1$Zq8mRt2w$gybYSRTAsj/BSbvInkU5w1$",
        "$1$Zq8mRt2w$gybYSRTAsj/BSbvInkU5w",
        "$1$é$gybYSRTAsj/BSbvInkU5w1",
        "$apr1$",
        "BCRYPT:",
        "BCRYPT:4",
        "BCRYPT:4:",
        "BCRYPT::AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:-4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:+4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:4:AbCdEfGhIjKlMnO:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:4:AbCdEfGhIjKlMnOpQ:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "BCRYPT:4:AbCdEfGhIjKlMnOp",
        "BCRYPT:4:AbCdEfGhIjKlMnOp:",
        "BCRYPT:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99bl",
        "BCRYPT:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO\n",
        "BCRYPT:4:ÀbCdEfGhIjKlMn:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "bcrypt:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
        "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e638",
        "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e638g",
        " 099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389",
        "０９９a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e63",
        "\0\0\0\0",
    ];
    for stored in garbage {
        assert!(!verify(PASSWORD, stored), "{stored:?}");
        assert!(!verify("", stored), "{stored:?}");
    }
    assert_eq!(format("abTk71qDTQKMY"), None);
    assert_eq!(format("$6$rounds=5000$salt$hash"), None);
}

/// Shapes close to the recognised ones, so the parsers get past their first checks.
fn near_miss() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F]{38,42}",
        "[0-9a-fA-F]{62,66}",
        "[0-9a-fA-F]{126,130}",
        any::<String>().prop_map(|s| format!("$1${s}")),
        "[./a-zA-Z0-9$]{0,12}\\$[./a-zA-Z0-9$]{0,30}".prop_map(|s| format!("$apr1${s}")),
        // Small costs only: a random cost of 31 would hash for hours.
        ("0?[0-5]", any::<String>()).prop_map(|(c, s)| format!("BCRYPT:{c}:{s}")),
        ("[0-5]", "[ -~]{14,18}", "[./A-Za-z0-9:]{0,33}").prop_map(|(c, s, h)| format!("BCRYPT:{c}:{s}:{h}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn garbage_never_panics_nor_matches_a_wrong_password(stored in near_miss(), password in any::<String>()) {
        let _ = format(&stored);
        let _ = verify(&password, &stored);
        // A random string is no hash of this password.
        prop_assert!(!verify("the password nobody chose", &stored));
    }
}
