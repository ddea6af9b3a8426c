import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-GTTRJCKY.js";import"./chunk-G4GXOHSI.js";import"./chunk-LGMPC7WX.js";import"./chunk-2C4SQSKF.js";import"./chunk-KOYRDJUO.js";import"./chunk-ILOZ3U42.js";import"./chunk-AU7TF4JB.js";import"./chunk-LJ5UA4ZF.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
