import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './kustomize-render.js';

/**
 * Unknown fields: the API server drops them (or, with kubectl's strict field validation,
 * refuses them), and JSON-schema validation of the OpenAPI types lets them through. So every
 * object is also type-checked against kubernetes-models' TypeScript interfaces as an object
 * literal, where TypeScript reports each property the type does not declare.
 */
export function fieldErrors(objects: K8sObject[], root: string): string[] {
  const file = join(root, 'test/kubernetes/__manifests__.ts');
  const lines = objects.map((o, i) => {
    const module = `kubernetes-models/${o.apiVersion}/${o.kind}`;
    return `import type { I${o.kind} as T${i} } from '${module}';\nexport const o${i}: T${i} = ${JSON.stringify(o)};`;
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, version)
      : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  // The virtual file is an ES module of the repository's package (type: module).
  host.getCurrentDirectory = () => dirname(dirname(dirname(file)));
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file || !d.file)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const object = objects[Math.floor(line / 2)];
      return `${object ? `${object.kind}/${object.metadata.name}` : '?'}: ${message}`;
    });
}
