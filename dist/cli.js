#!/usr/bin/env node
import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import*as s from"node:module";s.enableCompileCache?.();var{main:o}=await import("./chunks/main-7EFWXYZV.js"),t=await o(process.argv.slice(2),{stdout:e=>process.stdout.write(e),stdoutBytes:e=>process.stdout.write(e),stderr:e=>process.stderr.write(e),env:process.env,cwd:process.cwd(),stdoutIsTTY:process.stdout.isTTY===!0});process.exitCode=t;
