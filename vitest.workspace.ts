/**
 * The list of test projects. Each entry is a folder with its own `vitest.config.ts`
 * (or the shared defaults). The root `vitest.config.ts` consumes this list as `test.projects`.
 */
export default ['packages/*', 'examples/*'];
