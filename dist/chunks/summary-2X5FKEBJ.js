import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-5WJSZCUB.js";import"./chunk-SD35GKWK.js";import"./chunk-VWL5XFQQ.js";import"./chunk-2C4SQSKF.js";import"./chunk-4EBVWTTP.js";import"./chunk-MIFZYP4Y.js";import"./chunk-A4MSVHQW.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
