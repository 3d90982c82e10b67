// HTTPS pieces made with GnuTLS's API (the library libmicrohttpd's TLS uses): a self-signed certificate
// made at start, a check of user-given PEM files, and HMAC-SHA256 for the mock's JWTs.
#include "CMicroHTTPDShims.h"
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(call, what)                                                                       \
    do {                                                                                        \
        int rc_ = (call);                                                                       \
        if (rc_ < 0) {                                                                          \
            snprintf(err, err_len, "%s: %s", what, gnutls_strerror(rc_));                       \
            goto done;                                                                          \
        }                                                                                       \
    } while (0)

static char *copy_datum(const gnutls_datum_t *d) {
    char *s = malloc(d->size + 1);
    if (!s) return NULL;
    memcpy(s, d->data, d->size);
    s[d->size] = 0;
    return s;
}

/// A name goes in as an IP address SAN when it parses as one, else as a DNS name SAN.
static int add_san(gnutls_x509_crt_t crt, const char *name) {
    unsigned char ip[16];
    if (inet_pton(AF_INET, name, ip) == 1)
        return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4, GNUTLS_FSAN_APPEND);
    if (inet_pton(AF_INET6, name, ip) == 1)
        return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 16, GNUTLS_FSAN_APPEND);
    return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, name, (unsigned)strlen(name),
                                                GNUTLS_FSAN_APPEND);
}

int vcdm_tls_self_signed(const char *const *names, size_t name_count, unsigned int days,
                         char **cert_pem, char **key_pem, char *err, size_t err_len) {
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t cert_out = {NULL, 0}, key_out = {NULL, 0};
    unsigned char serial[16];
    int ok = -1;
    *cert_pem = NULL;
    *key_pem = NULL;
    if (name_count == 0) {
        snprintf(err, err_len, "no host name for the certificate");
        return -1;
    }
    // ECDSA P-256: generated in about a millisecond (RSA 2048 can take a noticeable fraction of a second).
    CHECK(gnutls_x509_privkey_init(&key), "key init");
    CHECK(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
          "key generation");
    CHECK(gnutls_x509_crt_init(&crt), "certificate init");
    CHECK(gnutls_x509_crt_set_version(crt, 3), "version");
    CHECK(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial), "serial");
    serial[0] &= 0x7f; // a positive serial number
    CHECK(gnutls_x509_crt_set_serial(crt, serial, sizeof serial), "serial");
    time_t now = time(NULL);
    CHECK(gnutls_x509_crt_set_activation_time(crt, now - 60), "activation time");
    CHECK(gnutls_x509_crt_set_expiration_time(crt, now + (time_t)days * 86400), "expiration time");
    CHECK(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, names[0], (unsigned)strlen(names[0])),
          "subject");
    CHECK(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "vcd-mock", 8), "subject");
    for (size_t i = 0; i < name_count; i++) CHECK(add_san(crt, names[i]), "subject alternative name");
    CHECK(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "basic constraints");
    CHECK(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
    CHECK(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "extended key usage");
    CHECK(gnutls_x509_crt_set_key(crt, key), "public key");
    unsigned char kid[64];
    size_t kid_len = sizeof kid;
    CHECK(gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, kid, &kid_len), "key id");
    CHECK(gnutls_x509_crt_set_subject_key_id(crt, kid, kid_len), "subject key id");
    CHECK(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), "signing");
    CHECK(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cert_out), "certificate export");
    CHECK(gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &key_out), "key export");
    *cert_pem = copy_datum(&cert_out);
    *key_pem = copy_datum(&key_out);
    if (!*cert_pem || !*key_pem) {
        free(*cert_pem);
        free(*key_pem);
        *cert_pem = *key_pem = NULL;
        snprintf(err, err_len, "out of memory");
        goto done;
    }
    ok = 0;
done:
    if (cert_out.data) gnutls_free(cert_out.data);
    if (key_out.data) {
        memset(key_out.data, 0, key_out.size);
        gnutls_free(key_out.data);
    }
    if (crt) gnutls_x509_crt_deinit(crt);
    if (key) gnutls_x509_privkey_deinit(key);
    return ok;
}

int vcdm_tls_check_pair(const char *cert_pem, const char *key_pem, char *err, size_t err_len) {
    gnutls_certificate_credentials_t creds = NULL;
    int ok = -1;
    gnutls_datum_t cert = {(unsigned char *)cert_pem, (unsigned)strlen(cert_pem)};
    gnutls_datum_t key = {(unsigned char *)key_pem, (unsigned)strlen(key_pem)};
    CHECK(gnutls_certificate_allocate_credentials(&creds), "credentials");
    CHECK(gnutls_certificate_set_x509_key_mem(creds, &cert, &key, GNUTLS_X509_FMT_PEM),
          "the certificate and key do not form a usable PEM pair");
    ok = 0;
done:
    if (creds) gnutls_certificate_free_credentials(creds);
    return ok;
}

int vcdm_hmac_sha256(const void *key, size_t key_len, const void *data, size_t data_len, unsigned char out[32]) {
    return gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, data, data_len, out) < 0 ? -1 : 0;
}

int vcdm_random(void *buf, size_t len) { return gnutls_rnd(GNUTLS_RND_KEY, buf, len) < 0 ? -1 : 0; }
