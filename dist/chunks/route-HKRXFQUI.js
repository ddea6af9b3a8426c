import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-VKPA3FNX.js";import"./chunk-2PPFB7AW.js";import"./chunk-RLHBGX3A.js";import"./chunk-OWSA57Q3.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{b as routeAgents,a as routeInputOf};
