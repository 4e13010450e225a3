// Wrappers for OpenSSL macros and type-generic stack helpers that Swift cannot import.
// No logic lives here: each function is one OpenSSL macro, named COpenSSLShims_<original>.
#ifndef COPENSSLSHIMS_H
#define COPENSSLSHIMS_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pkcs7.h>

void COpenSSLShims_OPENSSL_free(void *pointer);

int COpenSSLShims_sk_X509_num(const STACK_OF(X509) *stack);
X509 *COpenSSLShims_sk_X509_value(const STACK_OF(X509) *stack, int index);

STACK_OF(X509_EXTENSION) *COpenSSLShims_sk_X509_EXTENSION_new_null(void);
int COpenSSLShims_sk_X509_EXTENSION_push(STACK_OF(X509_EXTENSION) *stack, X509_EXTENSION *extension);
void COpenSSLShims_sk_X509_EXTENSION_pop_free(STACK_OF(X509_EXTENSION) *stack);

/// p7->d.sign->cert for a signed-data PKCS7 (NULL otherwise): the certificates of a certs-only message.
STACK_OF(X509) *COpenSSLShims_PKCS7_get0_signed_certs(const PKCS7 *p7);

/// EVP_PKEY_KEYPAIR is a composed macro Swift cannot import.
static const int COpenSSLShims_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;

#endif
