#!/usr/bin/env node
// The `strata` command: the CLI is TypeScript like the rest of the repository, run through tsx.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
