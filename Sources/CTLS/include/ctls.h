// OpenSSL, loaded on first use with dlopen instead of linked: linking libssl and libcrypto
// costs every cachectl process about 1.7 ms of dynamic loading, TLS or not. The types and
// constants come from OpenSSL's headers; every function goes through a pointer that
// ctls_load() resolves. Also covers the parts OpenSSL defines as macros.
#ifndef CACHECTL_CTLS_H
#define CACHECTL_CTLS_H

#include <stddef.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// Loads libssl and resolves every function below; 0 on success, otherwise -1 with a
/// one-line reason in `error`. Safe to call again: later calls return the first result.
int ctls_load(char *error, size_t error_length);

SSL_CTX *ctls_SSL_CTX_new(void);
void ctls_SSL_CTX_free(SSL_CTX *ctx);
int ctls_SSL_CTX_set_min_tls12(SSL_CTX *ctx);
void ctls_SSL_CTX_set_partial_writes(SSL_CTX *ctx);
void ctls_SSL_CTX_set_verify(SSL_CTX *ctx, int mode);
int ctls_SSL_CTX_load_verify_file(SSL_CTX *ctx, const char *file);
int ctls_SSL_CTX_set_default_verify_paths(SSL_CTX *ctx);
int ctls_SSL_CTX_use_certificate_chain_file(SSL_CTX *ctx, const char *file);
int ctls_SSL_CTX_use_PrivateKey_file(SSL_CTX *ctx, const char *file);
int ctls_SSL_CTX_check_private_key(const SSL_CTX *ctx);

SSL *ctls_SSL_new(SSL_CTX *ctx);
void ctls_SSL_free(SSL *ssl);
int ctls_SSL_set_fd(SSL *ssl, int fd);
int ctls_SSL_set_server_name(SSL *ssl, const char *name);
int ctls_SSL_verify_host(SSL *ssl, const char *name);
int ctls_SSL_verify_ip(SSL *ssl, const char *ip);
int ctls_SSL_connect(SSL *ssl);
int ctls_SSL_get_error(const SSL *ssl, int ret);
long ctls_SSL_get_verify_result(const SSL *ssl);
const char *ctls_verify_error_string(long code);
int ctls_SSL_read(SSL *ssl, void *buffer, int length);
int ctls_SSL_write(SSL *ssl, const void *buffer, int length);
int ctls_SSL_shutdown(SSL *ssl);

unsigned long ctls_ERR_get_error(void);
void ctls_ERR_error_string_n(unsigned long code, char *buffer, size_t length);
void ctls_ERR_clear_error(void);

#endif
