import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-DLEWB5AS.js";import"./chunk-TQON42ME.js";import"./chunk-RLHBGX3A.js";import"./chunk-OWSA57Q3.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-FPHGPMDT.js";import"./chunk-OZJ4OJ24.js";export{b as routeAgents,a as routeInputOf};
