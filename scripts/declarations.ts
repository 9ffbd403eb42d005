// Generates hatch.d.ts, the one file `hatch types` writes: TypeScript's own declaration emit of
// src/mod.ts and what it reaches (in memory), flattened into one `declare module "hatch" { … }`.
// Only what src/mod.ts exports is exported; the declarations those exports refer to come along
// unexported (renamed where two files use the same name); a type that refers to a package (the
// server types are valibot schemas' outputs) is written out by the type checker instead, since a
// script's folder has no node_modules. Declaration emit tolerates type errors elsewhere in the
// tree, so a build never fails because of someone's unfinished edit.
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export interface Declarations {
  /** The text of hatch.d.ts. */
  text: string;
  /** The names src/mod.ts exports, as hatch.d.ts exports them. */
  exports: string[];
}

interface FileIndex {
  key: string;
  sf: ts.SourceFile;
  locals: Map<string, ts.Statement[]>;
  imports: Map<string, { spec: string; name: string }>;
  exports: Map<string, { local: string } | { spec: string; name: string }>;
  stars: string[];
}

type Target = { key: string; local: string } | { external: string; name: string } | { namespace: string };

const id = (t: { key: string; local: string }) => `${t.key}#${t.local}`;

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) {
    return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  if (
    (ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isFunctionDeclaration(st) ||
      ts.isEnumDeclaration(st) ||
      ts.isModuleDeclaration(st)) &&
    st.name &&
    ts.isIdentifier(st.name)
  ) {
    return [st.name.text];
  }
  return [];
}

function indexFile(key: string, text: string): FileIndex {
  const sf = ts.createSourceFile(`${key}.d.ts`, text, ts.ScriptTarget.Latest, true);
  const f: FileIndex = { key, sf, locals: new Map(), imports: new Map(), exports: new Map(), stars: [] };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.name) f.imports.set(clause.name.text, { spec, name: "default" });
      const b = clause?.namedBindings;
      if (b && ts.isNamespaceImport(b)) f.imports.set(b.name.text, { spec, name: "*" });
      if (b && ts.isNamedImports(b)) {
        for (const e of b.elements)
          f.imports.set(e.name.text, { spec, name: (e.propertyName ?? e.name).text });
      }
      continue;
    }
    if (ts.isExportDeclaration(st)) {
      const spec =
        st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (!st.exportClause) {
        if (spec) f.stars.push(spec);
        continue;
      }
      if (!ts.isNamedExports(st.exportClause)) throw new Error(`${key}: "export * as" is not supported`);
      for (const e of st.exportClause.elements) {
        const inner = (e.propertyName ?? e.name).text;
        f.exports.set(e.name.text, spec ? { spec, name: inner } : { local: inner });
      }
      continue;
    }
    for (const name of declaredNames(st)) {
      f.locals.set(name, [...(f.locals.get(name) ?? []), st]);
      if (hasModifier(st, ts.SyntaxKind.ExportKeyword)) {
        f.exports.set(hasModifier(st, ts.SyntaxKind.DefaultKeyword) ? "default" : name, { local: name });
      }
    }
  }
  return f;
}

/** The leftmost identifier of `a.b.c` (a type name or a heritage expression). */
function leftmost(n: ts.EntityName | ts.Expression): ts.Identifier | undefined {
  if (ts.isIdentifier(n)) return n;
  if (ts.isQualifiedName(n)) return leftmost(n.left);
  if (ts.isPropertyAccessExpression(n)) return leftmost(n.expression);
  return undefined;
}

/**
 * Generates hatch.d.ts from `root`'s src/mod.ts (its tsconfig.json's options).
 * @param root the repository
 * @param header comment lines put before the declarations
 */
export function generateDeclarations(root: string, header: string[] = []): Declarations {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const outDir = join(root, ".declarations");
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    outDir,
    rootDir: root,
  };
  const entry = join(root, "src", "mod.ts");
  // The ambient declarations of src/ (text assets, module shims) and the entry.
  const rootNames = [entry, ...parsed.fileNames.filter((f) => f.endsWith(".d.ts") && f.includes("/src/"))];
  const program = ts.createProgram(rootNames, options);
  const checker = program.getTypeChecker();
  const files = new Map<string, FileIndex>();
  program.emit(
    undefined,
    (name, text) => {
      const key = relative(outDir, name).replace(/\.d\.ts$/, "");
      files.set(key, indexFile(key, text));
    },
    undefined,
    true,
  );
  const modKey = "src/mod";
  const mod = files.get(modKey);
  if (!mod) throw new Error("Declaration emit produced nothing for src/mod.ts");

  const resolveModule = (from: string, spec: string): string | { external: string } => {
    if (!spec.startsWith(".")) return { external: spec };
    const base = join(dirname(from), spec).replace(/\.(?:d\.ts|ts|tsx|js|mjs)$/, "");
    for (const k of [base, `${base}/index`]) if (files.has(k)) return k;
    throw new Error(`${from}: cannot find "${spec}" among the emitted declarations`);
  };
  const resolveLocal = (key: string, name: string, depth = 0): Target | undefined => {
    const f = files.get(key) as FileIndex;
    if (f.locals.has(name)) return { key, local: name };
    const imp = f.imports.get(name);
    if (!imp) return undefined;
    const m = resolveModule(key, imp.spec);
    if (typeof m !== "string") return { external: m.external, name: imp.name };
    if (imp.name === "*") return { namespace: m };
    return resolveExport(m, imp.name, depth + 1);
  };
  const resolveExport = (key: string, name: string, depth = 0): Target | undefined => {
    if (depth > 50) throw new Error(`${key}: export "${name}" re-exports itself`);
    const f = files.get(key) as FileIndex;
    const e = f.exports.get(name);
    if (e && "local" in e) return resolveLocal(key, e.local, depth + 1);
    if (e) {
      const m = resolveModule(key, e.spec);
      return typeof m === "string"
        ? resolveExport(m, e.name, depth + 1)
        : { external: m.external, name: e.name };
    }
    for (const spec of f.stars) {
      const m = resolveModule(key, spec);
      if (typeof m !== "string") continue;
      const t = resolveExport(m, name, depth + 1);
      if (t) return t;
    }
    return undefined;
  };

  /**
   * The references a statement makes to other top-level names, each with the node to rewrite:
   * type names, heritage clauses, `typeof x`, computed keys and `import("…").X` types.
   */
  interface Ref {
    node: ts.Node;
    target: Target | undefined;
    /** The node's type arguments (an import type keeps them). */
    typeArgs?: readonly ts.TypeNode[];
  }
  const referencesOf = (key: string, st: ts.Statement): Ref[] => {
    const typeParams = new Set<string>();
    const collectParams = (n: ts.Node): void => {
      if (ts.isTypeParameterDeclaration(n)) typeParams.add(n.name.text);
      ts.forEachChild(n, collectParams);
    };
    collectParams(st);
    const refs: Ref[] = [];
    const byName = (ident: ts.Identifier | undefined, qualified?: ts.EntityName | ts.Expression) => {
      if (!ident || typeParams.has(ident.text)) return;
      const t = resolveLocal(key, ident.text);
      if (
        t &&
        "namespace" in t &&
        qualified &&
        (ts.isQualifiedName(qualified) || ts.isPropertyAccessExpression(qualified))
      ) {
        // `ns.X` where ns is `import * as ns` of another file: X in that file.
        const right = ts.isQualifiedName(qualified) ? qualified.right : qualified.name;
        refs.push({ node: qualified, target: resolveExport(t.namespace, right.text) });
        return;
      }
      refs.push({ node: ident, target: t });
    };
    const visit = (n: ts.Node): void => {
      if (ts.isTypeReferenceNode(n)) {
        byName(leftmost(n.typeName), n.typeName);
      } else if (ts.isExpressionWithTypeArguments(n)) {
        byName(leftmost(n.expression), n.expression);
      } else if (ts.isTypeQueryNode(n)) {
        byName(leftmost(n.exprName), n.exprName);
      } else if (ts.isComputedPropertyName(n) && ts.isIdentifier(n.expression)) {
        byName(n.expression);
      } else if (ts.isImportTypeNode(n)) {
        const arg = n.argument;
        const spec = ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal) ? arg.literal.text : "";
        if (n.isTypeOf || !n.qualifier || !ts.isIdentifier(n.qualifier)) {
          throw new Error(`${key}: cannot flatten "${n.getText()}"`);
        }
        const m = resolveModule(key, spec);
        const target =
          typeof m === "string"
            ? resolveExport(m, n.qualifier.text)
            : { external: m.external, name: n.qualifier.text };
        refs.push({ node: n, target, ...(n.typeArguments ? { typeArgs: n.typeArguments } : {}) });
        for (const a of n.typeArguments ?? []) visit(a);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(st);
    return refs;
  };

  // What the exports reach.
  const needed = new Map<string, { key: string; local: string }>();
  const queue: { key: string; local: string }[] = [];
  const need = (t: { key: string; local: string }) => {
    if (needed.has(id(t))) return;
    needed.set(id(t), t);
    queue.push(t);
  };
  const publicName = new Map<string, string>();
  const exportsOut: string[] = [];
  for (const name of mod.exports.keys()) {
    const t = resolveExport(modKey, name);
    if (!t || !("key" in t)) {
      throw new Error(
        `src/mod.ts exports "${name}" from ${t && "external" in t ? `package "${t.external}"` : "nowhere"}`,
      );
    }
    if (publicName.has(id(t))) throw new Error(`src/mod.ts exports the same declaration twice ("${name}")`);
    publicName.set(id(t), name);
    exportsOut.push(name);
    need(t);
  }
  const needsExpansion = new Set<ts.Statement>();
  for (let t = queue.shift(); t; t = queue.shift()) {
    for (const st of (files.get(t.key) as FileIndex).locals.get(t.local) ?? []) {
      const refs = referencesOf(t.key, st);
      // A type that refers to a package is written out whole, so what it named is not needed.
      if (refs.some((r) => r.target && "external" in r.target)) needsExpansion.add(st);
      else for (const r of refs) if (r.target && "key" in r.target) need(r.target);
    }
  }

  // Output names: the public ones, then the rest as they were, numbered where two collide.
  const outName = new Map<string, string>(publicName);
  const taken = new Set(publicName.values());
  for (const [k, t] of needed) {
    if (outName.has(k)) continue;
    let name = t.local;
    for (let i = 1; taken.has(name); i++) name = `${t.local}_${i}`;
    taken.add(name);
    outName.set(k, name);
  }
  const nameOf = (t: Target | undefined): string | undefined =>
    t && "key" in t ? outName.get(id(t)) : undefined;

  /** A type the checker writes out whole (no package names left in it). */
  const expandedType = (key: string, local: string): string => {
    const source = program.getSourceFile(join(root, `${key}.ts`));
    const decl = source?.statements
      .flatMap((s): (ts.VariableDeclaration | ts.TypeAliasDeclaration)[] =>
        ts.isVariableStatement(s)
          ? [...s.declarationList.declarations]
          : ts.isTypeAliasDeclaration(s)
            ? [s]
            : [],
      )
      .find((d) => ts.isIdentifier(d.name) && d.name.text === local);
    if (!decl) throw new Error(`${key}.ts: "${local}" refers to a package and cannot be written out`);
    const type = ts.isTypeAliasDeclaration(decl)
      ? checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(decl.name) as ts.Symbol)
      : checker.getTypeAtLocation(decl);
    const F = ts.NodeBuilderFlags;
    const node = checker.typeToTypeNode(
      type,
      decl,
      F.NoTruncation | F.InTypeAlias | F.MultilineObjectLiterals | F.IgnoreErrors,
    );
    if (!node) throw new Error(`${key}.ts: cannot write out the type of "${local}"`);
    const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
    return printer.printNode(
      ts.EmitHint.Unspecified,
      node,
      ts.createSourceFile("x.ts", "", ts.ScriptTarget.Latest),
    );
  };

  const render = (key: string, st: ts.Statement): string => {
    const f = files.get(key) as FileIndex;
    const text = f.sf.text;
    const edits: { start: number; end: number; text: string }[] = [];
    const spliced = (start: number, end: number, inner: typeof edits): string => {
      let out = "";
      let at = start;
      for (const e of inner
        .filter((e) => e.start >= start && e.end <= end)
        .sort((a, b) => a.start - b.start || a.end - b.end)) {
        if (e.start < at) continue;
        out += text.slice(at, e.start) + e.text;
        at = e.end;
      }
      return out + text.slice(at, end);
    };
    const names = declaredNames(st);
    const isPublic = names.some((n) => publicName.has(id({ key, local: n })));
    for (const m of ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : []) {
      if (
        m.kind === ts.SyntaxKind.ExportKeyword ||
        m.kind === ts.SyntaxKind.DeclareKeyword ||
        m.kind === ts.SyntaxKind.DefaultKeyword
      ) {
        let end = m.getEnd();
        while (text[end] === " ") end++;
        edits.push({ start: m.getStart(), end, text: "" });
      }
    }
    // The declared names.
    const declNames: ts.Identifier[] = ts.isVariableStatement(st)
      ? st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name] : []))
      : "name" in st && st.name && ts.isIdentifier(st.name as ts.Node)
        ? [st.name as ts.Identifier]
        : [];
    for (const n of declNames) {
      const out = outName.get(id({ key, local: n.text }));
      if (out && out !== n.text) edits.push({ start: n.getStart(), end: n.getEnd(), text: out });
    }
    if (needsExpansion.has(st)) {
      if (ts.isTypeAliasDeclaration(st)) {
        edits.push({
          start: st.type.getStart(),
          end: st.type.getEnd(),
          text: expandedType(key, st.name.text),
        });
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (d.type && ts.isIdentifier(d.name)) {
            edits.push({
              start: d.type.getStart(),
              end: d.type.getEnd(),
              text: expandedType(key, d.name.text),
            });
          }
        }
      } else {
        throw new Error(
          `${key}.ts: the public "${names.join(", ")}" refers to a package's types; give it types of hatch's own`,
        );
      }
    } else {
      const refs = referencesOf(key, st);
      // Import types first: their type arguments are rendered inside their replacement.
      for (const r of refs) {
        const out = nameOf(r.target);
        if (ts.isImportTypeNode(r.node)) {
          if (!out) throw new Error(`${key}: cannot resolve "${r.node.getText()}"`);
          const argEdits = refs
            .filter(
              (x) => x !== r && x.node.getStart() >= r.node.getStart() && x.node.getEnd() <= r.node.getEnd(),
            )
            .flatMap((x) => {
              const o = nameOf(x.target);
              return o && !ts.isImportTypeNode(x.node) && o !== x.node.getText()
                ? [{ start: x.node.getStart(), end: x.node.getEnd(), text: o }]
                : [];
            });
          const args = r.typeArgs?.map((a) => spliced(a.getStart(), a.getEnd(), argEdits));
          edits.push({
            start: r.node.getStart(),
            end: r.node.getEnd(),
            text: `${out}${args ? `<${args.join(", ")}>` : ""}`,
          });
        } else if (out && out !== r.node.getText()) {
          edits.push({ start: r.node.getStart(), end: r.node.getEnd(), text: out });
        }
      }
    }
    // From the start of the statement's leading comments (its JSDoc) to its end.
    const comments = ts.getLeadingCommentRanges(text, st.pos) ?? [];
    const start = comments[0]?.pos ?? st.getStart();
    if (isPublic) edits.push({ start: st.getStart(), end: st.getStart(), text: "export " });
    return spliced(start, st.getEnd(), edits);
  };

  // Public declarations in src/mod.ts's order, then what they refer to.
  const seen = new Set<ts.Statement>();
  const blocks: string[] = [];
  const ordered = [
    ...exportsOut.map((n) => {
      const t = resolveExport(modKey, n) as { key: string; local: string };
      return t;
    }),
    ...[...needed.values()].filter((t) => !publicName.has(id(t))),
  ];
  for (const t of ordered) {
    for (const st of (files.get(t.key) as FileIndex).locals.get(t.local) ?? []) {
      if (seen.has(st)) continue;
      seen.add(st);
      blocks.push(render(t.key, st));
    }
  }
  const indent = (s: string) =>
    s
      .split("\n")
      .map((l) => (l.trim() ? `    ${l.replace(/^ {4}/, "    ")}` : ""))
      .join("\n");
  const lines = [
    ...header.map((h) => `// ${h}`),
    'declare module "hatch" {',
    ...blocks.map(indent),
    "    export {};",
    "}",
    "",
  ];
  return { text: lines.join("\n"), exports: exportsOut };
}

if (import.meta.main) {
  const root = resolve(import.meta.dir, "..");
  process.stdout.write(generateDeclarations(root).text);
}
