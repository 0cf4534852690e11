"""Signed PDF certificates for credentials.

    render.py       HTML template -> PDF with WeasyPrint (static files only, nothing fetched)
    signing.py      PAdES B-B signature with pyHanko, the signer built once per process
    services.py     generate_certificate(): render, sign, store, audit
    receivers.py    queue a certificate when a credential is issued

The issuer's PDF certificate and key come from credentials.issuer.

Import the submodules you need: WeasyPrint and pyHanko are heavy, and this package is imported
when the app starts.
"""
