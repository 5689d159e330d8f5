import { type BuiltPages, buildPages } from '../pages/build';

/** The pages did not build: synth stops with what esbuild or the copy said, without a trace. */
export class PagesBuildError extends Error {
  override readonly name = 'PagesBuildError';
}

/**
 * Builds the two pages into `outDir` at synth (esbuild runs synchronously), for the site's
 * deployment. A missing entry file (pages/<page>/main.tsx or index.html) names itself.
 */
export function buildSitePages(outDir: string, build: (dir: string) => BuiltPages = buildPages): string {
  try {
    return build(outDir).dir;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PagesBuildError(`The site's pages did not build (pages/build.ts): ${message}`);
  }
}
