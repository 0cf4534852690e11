"""Signed PDF certificates for credentials.

    render.py       HTML template -> PDF with WeasyPrint (static files only, nothing fetched)
    signing.py      PAdES B-B signature with pyHanko, the signer built once per process
    issuer_keys.py  the issuer's certificate and key (settings, or a demo pair under VAR_DIR)
    services.py     generate_certificate(): render, sign, store, audit
    receivers.py    queue a certificate when a credential is issued

Import the submodules you need: WeasyPrint and pyHanko are heavy, and this package is imported
when the app starts.
"""
