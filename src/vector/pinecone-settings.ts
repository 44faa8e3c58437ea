export interface PineconeSettings {
  apiKey: string;
  /** The control-plane host; null is Pinecone's public API. Tests point it at a local server. */
  controllerHostUrl: string | null;
  /** The index standard and professional accounts share, one namespace per account-instance. */
  sharedIndex: string;
  /** Where indexes Switchboard creates (the shared one if missing, enterprise's dedicated ones) live. */
  cloud: string;
  region: string;
  /** Retries of a failed request inside the Pinecone client. */
  maxRetries: number;
}
