import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-6OOFDURK.js";import"./chunk-M56NF427.js";import"./chunk-KEJWWIM6.js";import"./chunk-2C4SQSKF.js";import"./chunk-6R3H4HI3.js";import"./chunk-5WTPDN6L.js";import"./chunk-XRLWKBJM.js";import"./chunk-JRCNFZYC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
