/**
 * Inspector's cards ({@code docs/card.md}) on the client's side, where the records are: {@link
 * dev.dossier.client.card.CardIssuer} signs a record's card with the organisation's card key, {@link
 * dev.dossier.client.card.CardAnchoring} anchors the cards' digests beside their records so that a verifier online can
 * prove the exact card was anchored by its issuer; {@link dev.dossier.client.card.CardPhoto} reads a card from a
 * picture of its QR code.
 */
package dev.dossier.client.card;
