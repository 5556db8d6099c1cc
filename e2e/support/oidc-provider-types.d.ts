// The slice of oidc-provider's API the e2e provider uses (the package ships no types of its own).
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type Account = { accountId: string; claims: () => Promise<Record<string, unknown>> };
  type Configuration = {
    clients: {
      client_id: string;
      client_secret: string;
      redirect_uris: string[];
      grant_types?: string[];
      response_types?: string[];
    }[];
    claims?: Record<string, string[]>;
    findAccount: (ctx: unknown, id: string) => Promise<Account | undefined>;
    pkce?: { required: () => boolean };
    cookies?: { keys: string[] };
    features?: { devInteractions?: { enabled: boolean } };
  };

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: "server_error", listener: (ctx: unknown, err: Error) => void): this;
  }
}
