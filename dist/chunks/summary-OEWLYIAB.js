import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-QJI2VXHK.js";import"./chunk-LY5HRJN5.js";import"./chunk-T53XXEII.js";import"./chunk-2C4SQSKF.js";import"./chunk-MRM2FKTP.js";import"./chunk-CO4LVHIS.js";import"./chunk-AU7TF4JB.js";import"./chunk-73HPCEJX.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
