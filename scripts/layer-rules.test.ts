import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The architecture's one-way imports hold only if each file really gets its layer's rule: a later config block
 * once replaced the routes' rule and let handlers import src/db unnoticed. Each case lints an import that breaks
 * one rule, as if written in a file of that layer, and expects the error; the last cases must stay clean.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const violations: [file: string, source: string, message: RegExp][] = [
  ['src/domain/case/x.ts', "import '../../db/connect.ts';", /src\/domain is pure/],
  ['src/domain/case/x.ts', "import 'kysely';", /src\/domain is pure/],
  ['src/domain/case/x.ts', "import '../../contracts/common.schema.ts';", /src\/domain is pure/],
  ['src/contracts/x.ts', "import '../services/compose.ts';", /src\/contracts may import only src\/domain/],
  ['src/db/repositories/x.ts', "import '../../services/compose.ts';", /src\/db may import only src\/domain/],
  ['src/db/x.ts', "import '../contracts/common.schema.ts';", /src\/db may import only src\/domain/],
  ['src/services/case/x.ts', "import '../../server/app.ts';", /src\/services may not import/],
  ['src/services/case/x.ts', "import '../../cli/main.ts';", /src\/services may not import/],
  ['src/server/routes/case/x.ts', "import '../../../db/connect.ts';", /route handlers call services/],
  ['src/server/routes/case/x.ts', "import '../../../cli/main.ts';", /route handlers call services/],
  ['src/server/app-x.ts', "import '../cli/main.ts';", /src\/server may not import src\/cli/],
  ['web/features/x.tsx', "import '../../src/services/compose.ts';", /web may import only/],
  ['web/features/x.tsx', "import '../../src/db/connect.ts';", /web may import only/],
];

describe('layer rules', () => {
  it.each(violations)('%s: %s is refused', async (file, source, message) => {
    const messages = await restrictedImports(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['src/server/routes/case/x.ts', "import '../../../services/compose.ts';"],
    ['src/services/case/x.ts', "import '../../db/connect.ts';"],
    ['src/server/app-x.ts', "import '../db/connect.ts';"],
    ['web/features/x.tsx', "import '../../src/contracts/common.schema.ts';"],
  ])('%s: %s is allowed', async (file, source) => {
    expect(await restrictedImports(file, source)).toEqual([]);
  });
});
