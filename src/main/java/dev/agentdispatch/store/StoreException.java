package dev.agentdispatch.store;

/** A database operation failed; the message names the operation, the cause holds the driver's error. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
