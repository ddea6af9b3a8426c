#!/usr/bin/env node
import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a as e}from"./chunks/chunk-IJVSITB5.js";import"./chunks/chunk-UAPOIPOT.js";import"./chunks/chunk-YRGOY2IW.js";import"./chunks/chunk-OZJ4OJ24.js";var t=await e(process.argv.slice(2),{stdout:s=>process.stdout.write(s),stdoutBytes:s=>process.stdout.write(s),stderr:s=>process.stderr.write(s),env:process.env,cwd:process.cwd(),stdoutIsTTY:process.stdout.isTTY===!0});process.exitCode=t;
