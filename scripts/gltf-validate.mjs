// Runs the Khronos glTF validator (npm gltf-validator) on the GLB files named on the command line and
// prints one JSON line per file: {"file", "errors", "warnings", "messages"}. Used by the model_3d tests.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const validator = require("gltf-validator");

for (const file of process.argv.slice(2)) {
  const report = await validator.validateBytes(new Uint8Array(readFileSync(file)), {
    // Self-contained files only: any external resource is an error here.
    externalResourceFunction: (uri) => Promise.reject(new Error(`external resource ${uri}`)),
  });
  const issues = report.issues;
  console.log(
    JSON.stringify({
      file,
      errors: issues.numErrors,
      warnings: issues.numWarnings,
      messages: issues.messages.filter((m) => m.severity === 0).map((m) => `${m.code}: ${m.message}`),
    }),
  );
}
