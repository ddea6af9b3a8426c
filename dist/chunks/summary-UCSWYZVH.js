import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-4YYKVLC3.js";import"./chunk-Z3QHBKGK.js";import"./chunk-JCSGQS2U.js";import"./chunk-2C4SQSKF.js";import"./chunk-W5FFKFNG.js";import"./chunk-CRERL7RB.js";import"./chunk-DZMFUIAI.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
