import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-CJMV2QIG.js";import"./chunk-OZJ4OJ24.js";export{a as child_process,b as crypto,c as fs,d as os,e as path,f as stream,g as util};
