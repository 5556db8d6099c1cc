import { describe, expect, it } from "vitest";
import { parseOpenApi, readOpenApi } from "./parse";

/** A document around the given paths, with one OAuth2 scheme and an API key. */
const doc = (paths: string, version = "3.0.3") =>
  [
    `openapi: ${version}`,
    "info: {title: t, version: '1'}",
    "components:",
    "  securitySchemes:",
    "    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x/t', scopes: {a: A, b: B, c: C, tweet.read: r, users.read: u, dm.read: d}}}}",
    "    key: {type: apiKey, in: header, name: X-Key}",
    "  schemas:",
    "    User: {type: object, properties: {id: {type: string}, username: {type: string}, name: {type: string}}}",
    "    Tweet: {type: object, properties: {id: {type: string}, text: {type: string}, author: {$ref: '#/components/schemas/User'}}}",
    "    DmEvent: {type: object, properties: {id: {type: string}, text: {type: string}, sender_id: {type: string}}}",
    "paths:",
    paths,
  ].join("\n");
const endpoints = (text: string) => {
  const r = parseOpenApi(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.endpoints;
};
const ok = (schema: string) =>
  `responses: {'200': {description: ok, content: {application/json: {schema: ${schema}}}}}`;

describe("scope sets from security requirements", () => {
  it("keeps the scopes of one requirement object together (AND) and separate objects as alternatives (OR)", () => {
    const [e] = endpoints(
      doc(`  /x:
    get:
      security: [{oauth: [a, b]}, {oauth: [c]}, {key: []}, {oauth: [a, b, c]}, {oauth: [c], key: []}]
      responses: {'204': {description: none}}`),
    );
    // [a, b, c] and [c, key] hold another set whole: never the easier way in, so dropped.
    expect(e.scopeSets).toEqual([["a", "b"], ["c"], ["key"]]);
    expect(e.scope).toBe("a");
  });
});

describe("bulk, record types and data classes", () => {
  it("counts many identifiers in one call that return people as bulk, with maxItems as the records per call", () => {
    const [byIds, byList, byBody, byEmail, single] = endpoints(
      doc(`  /2/users:
    get:
      security: [{oauth: [users.read]}]
      parameters: [{name: ids, in: query, style: form, explode: false, schema: {type: array, maxItems: 100, items: {type: string}}}]
      ${ok("{type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/User'}}}}")}
  /2/users/by:
    get:
      security: [{oauth: [users.read]}]
      parameters: [{name: usernames, in: query, description: A comma-separated list of usernames, schema: {type: string}}]
      ${ok("{type: array, items: {$ref: '#/components/schemas/User'}}")}
  /users/batch:
    post:
      security: [{oauth: [users.read]}]
      requestBody: {content: {application/json: {schema: {type: object, properties: {user_ids: {type: array, maxItems: 250, items: {type: string}}}}}}}
      ${ok("{type: array, items: {$ref: '#/components/schemas/User'}}")}
  /users/lookup:
    get:
      security: [{oauth: [users.read]}]
      parameters: [{name: phone_number, in: query, schema: {type: string}}]
      ${ok("{$ref: '#/components/schemas/User'}")}
  /users/{id}:
    get:
      security: [{oauth: [users.read]}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      ${ok("{$ref: '#/components/schemas/User'}")}`),
    );
    expect([byIds.bulk, byIds.maxRecordsPerCall, byIds.records]).toEqual([true, 100, "people"]);
    expect([byList.bulk, byList.maxRecordsPerCall]).toEqual([true, null]);
    expect([byBody.bulk, byBody.maxRecordsPerCall]).toEqual([true, 250]);
    // A lookup by phone maps contact data to accounts: bulk (the enumeration risk) even one person per call.
    expect([byEmail.bulk, byEmail.contactLookup, byEmail.dataClasses]).toEqual([true, true, ["pii"]]);
    expect([single.bulk, single.contactLookup]).toEqual([false, false]);
  });

  it("reports what a list holds: a user's paged posts are not a person export, direct messages are private_messages", () => {
    const [tweets, dms, people] = endpoints(
      doc(`  /2/users/{id}/tweets:
    get:
      security: [{oauth: [tweet.read, users.read]}]
      parameters: [{name: max_results, in: query, schema: {type: integer, maximum: 100}}, {name: pagination_token, in: query, schema: {type: string}}]
      ${ok("{type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/Tweet'}}, meta: {type: object, properties: {next_token: {type: string}}}}}")}
  /2/dm_events:
    get:
      security: [{oauth: [dm.read, users.read]}]
      parameters: [{name: max_results, in: query, schema: {type: integer, maximum: 100}}, {name: pagination_token, in: query, schema: {type: string}}]
      ${ok("{type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/DmEvent'}}}}")}
  /2/users/{id}/followers:
    get:
      security: [{oauth: [users.read]}]
      parameters: [{name: max_results, in: query, schema: {type: integer, maximum: 1000}}, {name: pagination_token, in: query, schema: {type: string}}]
      ${ok("{type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/User'}}}}")}`),
    );
    expect([tweets.records, tweets.bulk, tweets.dataClasses]).toEqual(["posts", true, []]);
    expect([dms.records, dms.bulk, dms.dataClasses]).toEqual(["messages", true, ["private_messages"]]);
    expect([people.records, people.bulk, people.maxRecordsPerCall, people.dataClasses]).toEqual([
      "people",
      true,
      1000,
      ["pii"],
    ]);
    expect(tweets.scopeSets).toEqual([["tweet.read", "users.read"]]);
    // Other records keep "pii" when they carry a person's fields themselves.
    const [orders] = endpoints(
      doc(`  /orders:
    get:
      security: [{oauth: [a]}]
      parameters: [{name: limit, in: query, schema: {type: integer, maximum: 50}}]
      ${ok("{type: array, items: {type: object, properties: {id: {type: string}, customer_name: {type: string}, total: {type: number}}}}")}`),
    );
    expect([orders.records, orders.bulk, orders.dataClasses]).toEqual(["records", true, ["pii"]]);
  });

  it("does not take a paging token for a credential", () => {
    const [e] = endpoints(
      doc(`  /logs:
    get:
      security: [{oauth: [a]}]
      parameters: [{name: pageToken, in: query, schema: {type: string}}]
      ${ok("{type: object, properties: {entries: {type: array, items: {type: object, properties: {line: {type: string}}}}, nextPageToken: {type: string}, continuation_token: {type: string}}}")}
  /tokens:
    get:
      security: [{oauth: [a]}]
      ${ok("{type: object, properties: {access_token: {type: string}}}")}`),
    );
    expect(e.dataClasses).toEqual(["internal"]);
    // A real token still is one.
    expect(
      endpoints(doc(`  /tokens:\n    get:\n      security: [{oauth: [a]}]\n      ${ok("{type: object}")}`))[0]
        .dataClasses,
    ).toEqual(["credentials"]);
  });
});

describe("validation", () => {
  it("reports a missing responses object (OpenAPI 3.0) with every other structural error in one pass", () => {
    const r = readOpenApi(
      doc(`  /a:
    get:
      security: [{oauth: [a]}]
  /b:
    post:
      security: [{nope: []}]
      parameters: {name: x}
  /c:
    delete:
      security: [{oauth: [a]}]`),
    );
    expect(r.errors).toEqual([
      {
        pointer: "#/paths/~1a/get/responses",
        message: "Missing: OpenAPI 3.0 requires the responses of every operation.",
      },
      {
        pointer: "#/paths/~1b/post/security/0/nope",
        message: 'Unknown security scheme "nope" (not in #/components/securitySchemes).',
      },
      { pointer: "#/paths/~1b/post/parameters", message: "Must be a list of parameters." },
      {
        pointer: "#/paths/~1b/post/responses",
        message: "Missing: OpenAPI 3.0 requires the responses of every operation.",
      },
      {
        pointer: "#/paths/~1c/delete/responses",
        message: "Missing: OpenAPI 3.0 requires the responses of every operation.",
      },
    ]);
    // OpenAPI 3.1 made responses optional: a warning, in words.
    const v31 = readOpenApi(doc(`  /a:\n    get:\n      security: [{oauth: [a]}]`, "3.1.0"));
    expect(v31.errors).toEqual([]);
    expect(v31.warnings.map((w) => w.message)).toEqual([
      "GET /a: No responses are described: what it returns is unknown.",
    ]);
  });

  it("names the line where malformed YAML is, not the end of the file", () => {
    const text = [
      "openapi: 3.0.3",
      "paths:",
      "  /a:",
      "    get: {security: [{oauth: [a]}, responses: {}}",
      "  /b:",
      "    get: {}",
      "",
    ].join("\n");
    const r = parseOpenApi(text);
    expect(r.ok ? null : r.errors[0].message).toMatch(/^Not valid JSON or YAML \(line 4, /);
    const quote = parseOpenApi(['openapi: "3.0.3', "paths: {}", ""].join("\n"));
    expect(quote.ok ? null : quote.errors[0].message).toMatch(/^Not valid JSON or YAML \(line 1, column 10\)/);
    const indent = parseOpenApi(["openapi: 3.0.3", "paths:", "  /a:", "    get:", "   bad: 1", ""].join("\n"));
    expect(indent.ok ? null : indent.errors[0].message).toMatch(/\(line 5, /);
  });
});
