/**
 * Training records: the bulk input formats ({@link dev.dossier.client.record.RecordSource}, CSV and JSON Lines), the
 * record's fields and JSON form ({@link dev.dossier.client.record.TrainingRecord}) and the validation rules
 * ({@link dev.dossier.client.record.RecordValidator}): EU micro-credential elements, Italian fiscal codes, dates and
 * the refresher periods of mandatory safety training.
 */
package dev.dossier.client.record;
