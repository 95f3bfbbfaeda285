/**
 * The worker's certificate: {@link dev.dossier.client.certificate.Certificate} (the record, its salt and commitment,
 * and a receipt that proves it offline; its JSON is the certificate file),
 * {@link dev.dossier.client.certificate.CertificatePdf} (the one-page PDF that embeds it) and
 * {@link dev.dossier.client.certificate.QrCode} (the QR code of its verify URL). Verdicts are
 * {@code dev.dossier.client.Verification}s.
 */
package dev.dossier.client.certificate;
