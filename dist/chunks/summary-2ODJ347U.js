import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-XDFBA33T.js";import"./chunk-6553IRCY.js";import"./chunk-QCXYMGDN.js";import"./chunk-2C4SQSKF.js";import"./chunk-YPKJBUDK.js";import"./chunk-COMYFSC4.js";import"./chunk-LUIATLWK.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
