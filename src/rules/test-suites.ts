/**
 * Commands that run a test suite, shared by the rules that need to tell a test run from other
 * work: a workflow's check after a deploy, a Dockerfile whose image is a one-shot test runner.
 */

/**
 * A test suite in command text: `go test`, `pytest`, `npm test` (or `run test`, yarn, pnpm),
 * `cargo test`, a make or Gradle test target, tox, bats, and the JavaScript runners (`jest`,
 * `vitest`, `mocha`, `cypress run`, `playwright test`).
 */
export const TEST_SUITE_COMMAND =
  /\b(go\s+test|pytest|(npm|yarn|pnpm)\s+(run\s+)?test|cargo\s+test|make\s+([\w.-]*[-_.])?test[\w-]*|gradlew?\s+([\w.-]*[:-])?test\w*|tox|bats|jest|vitest|mocha|cypress\s+run|playwright\s+test)\b/i
