// Wrappers for OpenSSL macros and type-generic stack helpers that Swift cannot import.
// No logic lives here: each function is one OpenSSL macro, named COpenSSLShims_<original> (but for
// block_cache.c, the allocator OpenSSL is given).
#ifndef COPENSSLSHIMS_H
#define COPENSSLSHIMS_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pkcs7.h>
#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

void COpenSSLShims_OPENSSL_free(void *pointer);

int COpenSSLShims_sk_X509_num(const STACK_OF(X509) *stack);
X509 *COpenSSLShims_sk_X509_value(const STACK_OF(X509) *stack, int index);
X509 *COpenSSLShims_sk_X509_pop(STACK_OF(X509) *stack);

STACK_OF(X509_EXTENSION) *COpenSSLShims_sk_X509_EXTENSION_new_null(void);
int COpenSSLShims_sk_X509_EXTENSION_push(STACK_OF(X509_EXTENSION) *stack, X509_EXTENSION *extension);
void COpenSSLShims_sk_X509_EXTENSION_pop_free(STACK_OF(X509_EXTENSION) *stack);

/// p7->d.sign->cert for a signed-data PKCS7 (NULL otherwise): the certificates of a certs-only message.
STACK_OF(X509) *COpenSSLShims_PKCS7_get0_signed_certs(const PKCS7 *p7);

// SSL_CTX / SSL control macros.
long COpenSSLShims_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
long COpenSSLShims_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);
long COpenSSLShims_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list);
long COpenSSLShims_SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
long COpenSSLShims_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode);
long COpenSSLShims_SSL_set_tlsext_host_name(SSL *ssl, const char *name);
int COpenSSLShims_SSL_get_negotiated_group(SSL *ssl);
int COpenSSLShims_SSL_set_app_data(SSL *ssl, void *data);
void *COpenSSLShims_SSL_get_app_data(const SSL *ssl);
long COpenSSLShims_BIO_set_mem_eof_return(BIO *bio, int value);
long COpenSSLShims_BIO_get_mem_ptr(BIO *bio, BUF_MEM **memory);
long COpenSSLShims_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *x509);

/// SSL_OP_* are composed 64-bit macros Swift cannot import.
static const uint64_t COpenSSLShims_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
static const uint64_t COpenSSLShims_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t COpenSSLShims_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;

/// EVP_PKEY_KEYPAIR is a composed macro Swift cannot import.
static const int COpenSSLShims_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;

// OpenSSL's allocations go through a per-thread cache of small blocks (block_cache.c).
// 1 when the cache was installed at load time (0 under sanitizers, or if OpenSSL had allocated first).
int COpenSSLShims_block_cache_installed(void);
// 1 unless built for a sanitizer (then OpenSSL keeps the system allocator).
int COpenSSLShims_block_cache_built(void);
// The most bytes of freed blocks one thread's cache holds.
size_t COpenSSLShims_block_cache_budget(void);
// Allocations the calling thread's cache answered so far.
unsigned long long COpenSSLShims_block_cache_thread_hits(void);
// Bytes of freed blocks the calling thread's cache holds.
size_t COpenSSLShims_block_cache_thread_bytes(void);
// The bytes a block holds (malloc_usable_size): what the cache files a freed block by.
size_t COpenSSLShims_block_cache_block_bytes(void *block);

#endif
