/** Small concurrency helpers shared by node and client. */
package dev.dossier.common.concurrent;
