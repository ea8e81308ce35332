/** A project's own tests, which call handlers with SDK v1 stubs of a request or a server. */
import type { RuleDefinition } from '../rule-definition.js';

export const TEST_DOUBLE_RULES = [
  {
    id: 'mrtr/v1-extra-driven',
    severity: 'info',
    marker: false,
    title: "A test's v1 request stub now plays the client",
    message:
      '`{{call}}` passed an SDK v1 request `extra` stub; it now goes through `callWithV1Extra`, which gives the ' +
      "handler the v2 context made of the stub and answers the handler's questions with the stub's `sendRequest`",
    why:
      'A migrated handler reads a v2 context (`ctx.mcpReq`) and asks by returning `inputRequired(...)`, so a v1 ' +
      'stub with `sendRequest` neither reaches it nor gets asked. The driver sends each question through the stub ' +
      'as the push request it was, and calls the handler again with the answers until it returns, so the test ' +
      'checks what it checked.',
    fix:
      'Nothing to do. To test the rounds themselves, call the handler with a context whose ' +
      '`mcpReq.inputResponses` holds the answers, and check the `inputRequired` result of the first call.',
    example: {
      before: 'const result = await handler({ city: "Oslo" }, { sendRequest: mockSendRequest });',
      after:
        'const result = await callWithV1Extra({ sendRequest: mockSendRequest }, (ctx) =>\n' +
        '  handler({ city: "Oslo" }, ctx),\n);',
    },
  },
  {
    id: 'mrtr/v1-stub-server-driven',
    severity: 'info',
    marker: false,
    title: "A test's v1 stub server now plays the client",
    message:
      'This stand-in for a v1 `McpServer` now goes through `v1StubServer`: the tool handlers registered on it, ' +
      "called by the test, get a v2 context and have their questions answered by the stub's `server.elicitInput`, " +
      '`server.createMessage` and `server.listRoots`',
    why:
      'A migrated handler asks by returning `inputRequired(...)` and reads the answers from its context, so a ' +
      "stub server's scripted `elicitInput` is no longer called and the test's handler call fails on the missing " +
      '`ctx.mcpReq`. The wrapper drives each registered handler round by round with the stub answering, as it ' +
      'answered before, and the mocks keep the calls they record.',
    fix:
      'Nothing to do. To test the rounds themselves, call the handler with a context whose ' +
      '`mcpReq.inputResponses` holds the answers, and check the `inputRequired` result of the first call.',
    example: {
      before: 'const server = { server: { elicitInput }, registerTool } as unknown as McpServer;',
      after: 'const server = v1StubServer({ server: { elicitInput }, registerTool }) as unknown as McpServer;',
    },
  },
] as const satisfies readonly RuleDefinition[];
