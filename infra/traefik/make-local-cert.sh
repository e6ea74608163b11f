#!/bin/sh
# The local TLS certificate of the proxy: a small certificate authority of its own (ca.crt, the
# one file to trust) and a certificate for every public Warren host signed by it (warren.crt and
# warren.key, which Traefik serves), all in CERT_DIR (default /certs, the traefik-certs volume).
#
# docker-compose.yml runs it in the one-shot `certs` service before Traefik starts; it also runs
# anywhere with OpenSSL 3 (`CERT_DIR=/tmp/warren-certs sh infra/traefik/make-local-cert.sh`).
# It is idempotent: an existing CA is kept, and the host certificate is issued again only when it
# is missing, expires within 30 days, does not cover every host (say WARREN_DOMAIN changed), or
# came from a CA of ours that is gone. One made elsewhere (mkcert, infra/README.md) is kept as long
# as it covers the hosts.
set -eu

dir="${CERT_DIR:-/certs}"
domain="${WARREN_DOMAIN:-localhost}"
hosts="catalog.$domain inventory.$domain audit.$domain console.$domain auth.$domain"
ca_name="Warren local development CA"

umask 077
mkdir -p "$dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
  cat > "$work/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = $ca_name
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
  openssl req -x509 -config "$work/ca.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc \
    -sha256 -days 3650 -keyout "$dir/ca.key" -out "$dir/ca.crt"
  chmod 644 "$dir/ca.crt"
  echo "created a local CA in $dir/ca.crt"
fi

issue=no
if [ ! -s "$dir/warren.crt" ] || [ ! -s "$dir/warren.key" ]; then
  issue=yes
elif ! openssl x509 -in "$dir/warren.crt" -noout -checkend 2592000 > /dev/null; then
  issue=yes
elif openssl x509 -in "$dir/warren.crt" -noout -issuer | grep -q "$ca_name" \
  && ! openssl verify -CAfile "$dir/ca.crt" "$dir/warren.crt" > /dev/null 2>&1; then
  # One of ours, from a CA that is gone: browsers trusting the current CA would refuse it.
  issue=yes
else
  for host in $hosts; do
    openssl x509 -in "$dir/warren.crt" -noout -checkhost "$host" | grep -q 'does match' || issue=yes
  done
fi

if [ "$issue" = yes ]; then
  san=""
  for host in $hosts; do san="${san:+$san, }DNS:$host"; done
  cat > "$work/host.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = host
[dn]
CN = catalog.$domain
[host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  # 397 days: the longest validity browsers accept for a server certificate.
  openssl req -x509 -config "$work/host.cnf" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -sha256 -days 397 \
    -keyout "$work/warren.key" -out "$work/warren.crt"
  # Replace both files only once both exist, so Traefik never reads a mismatched pair.
  mv "$work/warren.key" "$dir/warren.key"
  mv "$work/warren.crt" "$dir/warren.crt"
  chmod 644 "$dir/warren.crt"
  echo "issued $dir/warren.crt for $hosts"
else
  echo "kept $dir/warren.crt: valid for $hosts"
fi
