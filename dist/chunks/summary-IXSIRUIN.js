import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-4P7WFOWG.js";import"./chunk-EERWQIK6.js";import"./chunk-INIE5BQU.js";import"./chunk-2C4SQSKF.js";import"./chunk-X4LBU23F.js";import"./chunk-VGRI2RNC.js";import"./chunk-K4FGDFDQ.js";import"./chunk-LJ5UA4ZF.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
