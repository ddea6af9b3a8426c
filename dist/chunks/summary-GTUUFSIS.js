import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-E7A5KE7Q.js";import"./chunk-V2AMFQHK.js";import"./chunk-363S2GG5.js";import"./chunk-2C4SQSKF.js";import"./chunk-A42GCMTH.js";import"./chunk-CB7EZSTD.js";import"./chunk-XRLWKBJM.js";import"./chunk-SAJKYWZM.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
