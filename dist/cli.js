#!/usr/bin/env node
import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import*as s from"node:module";import{homedir as r}from"node:os";import{join as o}from"node:path";s.enableCompileCache?.(o(process.env.XDG_CACHE_HOME||o(r(),".cache"),"preflight","compile-cache"));var{main:t}=await import("./chunks/main-TCZKCVJL.js"),c=await t(process.argv.slice(2),{stdout:e=>process.stdout.write(e),stdoutBytes:e=>process.stdout.write(e),stderr:e=>process.stderr.write(e),env:process.env,cwd:process.cwd(),stdoutIsTTY:process.stdout.isTTY===!0});process.exitCode=c;
