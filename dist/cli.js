#!/usr/bin/env node
import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import*as s from"node:module";import{homedir as t}from"node:os";import{join as r}from"node:path";s.enableCompileCache?.(r(process.env.XDG_CACHE_HOME||r(t(),".cache"),"preflight","compile-cache"));var{main:i}=await import("./chunks/main-O3CYRCUY.js"),o=!1;process.stdout.on("error",e=>{if(e.code!=="EPIPE")throw e;o=!0});var c=await i(process.argv.slice(2),{stdout:e=>{o||process.stdout.write(e)},stdoutBytes:e=>{o||process.stdout.write(e)},stderr:e=>process.stderr.write(e),env:process.env,cwd:process.cwd(),stdoutIsTTY:process.stdout.isTTY===!0});process.exitCode=c;
